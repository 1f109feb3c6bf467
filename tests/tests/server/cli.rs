//! The command line, run as the real binary: `rules`, `admin`, configuration errors, first start.

use std::io::Write;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_linli-test-server");

/// Runs the server binary with `args`, `stdin` and the given environment (nothing else of ours).
pub fn run(args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for var in [
        "LINLI_ADDR",
        "DATABASE_URL",
        "LINLI_DIST",
        "LINLI_TOKEN_TTL_SECS",
        "LINLI_ADMIN_PASSWORD",
        "LINLI_COMMUNITY",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    let mut child = cmd.spawn().unwrap();
    // A command that refuses early exits without reading its input: a broken pipe here is not a failure.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn rules_subcommand() {
    let out = run(
        &["rules"],
        r#"{"fn":"calendar.add_working_days","args":{"start":"2026-09-28","days":5}}"#,
        &[],
    );
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout).trim(),
        r#"{"ok":{"end":"2026-10-09","official":true}}"#
    );
    let out = run(&["rules"], "not json", &[]);
    let v: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(v["error"]["code"], "invalid_request");
}

#[test]
fn admin_commands() {
    let dir = tempfile::tempdir().unwrap();
    let url = linli_tests::database_url(&dir.path().join("data/linli.db"));
    let env = [("DATABASE_URL", url.as_str())];
    let create = |user: &str, pw: &str| {
        run(
            &[
                "admin",
                "create-user",
                "--username",
                user,
                "--role",
                "staff",
                "--community",
                "c9",
            ],
            pw,
            &env,
        )
    };
    // Hardening: residents' ballots are recorded as author `resident`; no account may take that name.
    let out = create("Resident", "long enough password\n");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("reserved"),
        "{}",
        text(&out.stderr)
    );
    let out = create("wang", "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("no password"),
        "{}",
        text(&out.stderr)
    );
    let out = create("wang", "short\n");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("at least 8"),
        "{}",
        text(&out.stderr)
    );
    let out = create("wang", "long enough password\nignored\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Community c9 did not exist"),
        "{}",
        text(&out.stdout)
    );
    let out = create("wang", "another password\n");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("taken"));
    let out = create("li", "another password\n");
    assert!(out.status.success());
    assert!(!text(&out.stdout).contains("did not exist"));
    let out = run(
        &[
            "admin",
            "create-community",
            "--id",
            "c10",
            "--name",
            "十号社区",
        ],
        "",
        &env,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(
        &[
            "admin",
            "create-community",
            "--id",
            "c10",
            "--name",
            "again",
        ],
        "",
        &env,
    );
    assert!(!out.status.success());
    let out = run(
        &[
            "admin",
            "create-user",
            "--username",
            "x",
            "--role",
            "boss",
            "--community",
            "c9",
        ],
        "password1\n",
        &env,
    );
    assert!(!out.status.success());

    // The password works with the server on the same database.
    let db = linli_server::db::Db::open(&linli_server::config::parse_database_url(&url).unwrap())
        .unwrap();
    let user = db
        .read(|c| linli_server::db::user_by_name(c, "wang"))
        .unwrap()
        .unwrap();
    assert!(linli_server::auth::verify_password(
        "long enough password",
        &user.password_hash
    ));
    assert_eq!(
        (user.role.as_str(), user.community.as_str()),
        ("staff", "c9")
    );

    // Grants (RULES H1, a sub-district's staff): wang may read c10 besides c9; twice is fine; an
    // unknown account or community is refused by name; a revoke takes it back, and only once.
    let grant = |verb: &str, user: &str, community: &str| {
        run(
            &["admin", verb, "--username", user, "--community", community],
            "",
            &env,
        )
    };
    let out = grant("grant-community", "wang", "c10");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("wang may now read community c10"));
    let out = grant("grant-community", "wang", "c10");
    assert!(
        text(&out.stdout).contains("already reads"),
        "{}",
        text(&out.stdout)
    );
    let out = grant("grant-community", "nobody", "c10");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no account named nobody"));
    let out = grant("grant-community", "wang", "c404");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no community c404"));
    assert_eq!(
        db.read(|c| linli_server::db::granted_communities(c, "wang"))
            .unwrap(),
        [("c10".to_string(), "十号社区".to_string())]
    );
    let out = grant("revoke-community", "wang", "c10");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = grant("revoke-community", "wang", "c10");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("had no grant"));
    assert!(
        db.read(|c| linli_server::db::granted_communities(c, "wang"))
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_postgres_url_that_cannot_work_is_refused_clearly() {
    let out = run(
        &["admin", "create-community", "--id", "a", "--name", "b"],
        "",
        &[(
            "DATABASE_URL",
            "postgres://u:secret-pw@localhost:notaport/linli",
        )],
    );
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("PostgreSQL"), "{err}");
    assert!(
        !err.contains("secret-pw"),
        "the password is never printed: {err}"
    );
}
