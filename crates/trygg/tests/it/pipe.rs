//! `trygg … | head`: a reader that stops reading early ends the command quietly,
//! with a success status and without a panic or an error about the pipe.

use std::io::Read;
use std::process::Stdio;

use crate::{Env, stderr};

#[tokio::test]
async fn a_reader_that_stops_early_ends_the_command_quietly_without_a_panic() {
    let env = Env::new().await;
    env.ok(&["demo", "load"]);
    let commands: [&[&str]; 2] = [
        &["export", "responses", "--survey", "trygghetsmatning-2023"],
        &[
            "analyse",
            "lagesbild",
            "--survey",
            "trygghetsmatning-2023",
            "--format",
            "json",
            "--permutations",
            "0",
        ],
    ];
    for args in commands {
        let mut child = env
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut head = [0_u8; 64];
        stdout.read_exact(&mut head).unwrap();
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let message = stderr(&out);
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert!(
            !message.to_lowercase().contains("pipe"),
            "{args:?}: {message}"
        );
        assert!(out.status.success(), "{args:?}: {message}");
    }
    env.finish().await;
}
