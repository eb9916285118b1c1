//! `trygg crime import|list`: police-reported crime counts per area, all rows
//! or none, with a broken row named by file, line and column.

use crate::{Env, stderr};

#[tokio::test]
async fn crime_counts_import_all_or_nothing_and_name_the_file_line_and_column() {
    let env = Env::new().await;
    env.ok(&["municipality", "add", "testkommun", "--name", "Testkommun"]);
    env.ok(&["areas", "import", crate::demo_areas().to_str().unwrap()]);
    let header = "area_code,period,category,count\n";
    for (name, body, expected) in [
        (
            "unknown-area.csv",
            "bro,2025,rån,4\nnarnia,2025,rån,1\n",
            "unknown-area.csv, line 3, column `area_code`",
        ),
        (
            "not-a-number.csv",
            "bro,2025,rån,fyra\n",
            "not-a-number.csv, line 2, column `count`",
        ),
        (
            "negative.csv",
            "bro,2025,rån,-1\n",
            "negative.csv, line 2, column `count`",
        ),
        (
            "twice.csv",
            "bro,2025,rån,4\nbro,2025,Rån,5\n",
            "twice.csv, line 3, column `category`",
        ),
    ] {
        let file = env.file(name, &format!("{header}{body}"));
        let out = env.run(&["crime", "import", "--file", file.to_str().unwrap()]);
        assert!(!out.status.success(), "{name}");
        let err = stderr(&out);
        assert!(err.contains(expected), "{name}: {err}");
        assert!(err.contains("nothing was imported"), "{name}: {err}");
    }
    let missing = env.file(
        "missing-column.csv",
        "area_code,period,category\nbro,2025,rån\n",
    );
    let err = stderr(&env.run(&["crime", "import", "--file", missing.to_str().unwrap()]));
    assert!(err.contains("line 1, column `count`"), "{err}");
    assert_eq!(env.scalar("SELECT COUNT(*) AS n FROM crime_count").await, 0);

    let good = env.file(
        "good.csv",
        &format!("{header}bro,2025,Rån,4\nkungsangen,2025,rån,2\n"),
    );
    let out = env.ok(&["crime", "import", "--file", good.to_str().unwrap()]);
    assert!(
        out.contains("Imported 2 crime counts for testkommun"),
        "{out}"
    );
    let list = env.ok(&["crime", "list"]);
    assert_eq!(
        list,
        "area_code,period,category,count\nbro,2025,rån,4\nkungsangen,2025,rån,2\n"
    );
    env.finish().await;
}
