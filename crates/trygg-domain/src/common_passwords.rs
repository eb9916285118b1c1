//! The passwords nobody may choose because attackers try them first: every
//! password of at least [`MIN_PASSWORD_CHARS`](crate::MIN_PASSWORD_CHARS)
//! characters in the breach-derived lists of `assets/common-passwords.txt.gz`
//! (see `assets/README.md` for the source and licence). The list is compiled
//! into the binary and unpacked once, on first use, into one string with the
//! start of each line, which is searched by bisection: about 27 MB for 1.46
//! million passwords.

use std::io::Read;
use std::sync::OnceLock;

const PACKED: &[u8] = include_bytes!("../assets/common-passwords.txt.gz");

struct List {
    text: String,
    starts: Vec<u32>,
}

impl List {
    fn unpack() -> Self {
        let mut text = String::new();
        // The file is part of the build; a broken copy leaves the list empty
        // rather than taking the server down, and a test checks its size.
        if flate2::read::GzDecoder::new(PACKED)
            .read_to_string(&mut text)
            .is_err()
        {
            text.clear();
        }
        let mut starts = Vec::with_capacity(1_500_000);
        let mut at = 0_usize;
        for line in text.split_inclusive('\n') {
            if let Ok(start) = u32::try_from(at) {
                starts.push(start);
            }
            at += line.len();
        }
        Self { text, starts }
    }

    fn line(&self, i: usize) -> &str {
        let start = self.starts.get(i).map_or(0, |s| *s as usize);
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |s| *s as usize);
        self.text
            .get(start..end)
            .unwrap_or_default()
            .trim_end_matches('\n')
    }

    fn contains(&self, password: &str) -> bool {
        let (mut low, mut high) = (0, self.starts.len());
        while low < high {
            let mid = low + (high - low) / 2;
            match self.line(mid).as_bytes().cmp(password.as_bytes()) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
            }
        }
        false
    }
}

fn list() -> &'static List {
    static LIST: OnceLock<List> = OnceLock::new();
    LIST.get_or_init(List::unpack)
}

/// Whether `password`, as typed or lower-cased, is on the list.
pub fn is_common(password: &str) -> bool {
    let list = list();
    list.contains(password) || list.contains(&password.to_lowercase())
}

/// How many passwords the list holds.
#[cfg(test)]
fn count() -> usize {
    list().starts.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_holds_well_over_a_hundred_thousand_passwords_and_finds_them() {
        assert!(count() > 1_000_000, "{}", count());
        for common in [
            "password1234",
            "PASSWORD1234",
            "qwertyuiopasdfgh",
            "123456789012",
        ] {
            assert!(is_common(common), "{common}");
        }
        assert!(!is_common("rätt häst batteri häftklammer"));
        assert!(!is_common(""));
    }
}
