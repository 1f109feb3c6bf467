//! Migrations on both backends: a database left at each earlier schema version, with data in it, is
//! brought to this build's version with its data intact; a database newer than the build is refused.

use super::*;
use linli_server::db::{Db, DbError, MIGRATIONS, schema_version};

/// Rows of every kind the schema of `version` has, as an older release would have written them.
fn fill(conn: &rusqlite::Connection, version: u32) {
    conn.execute_batch(
        "INSERT INTO communities (id, name) VALUES ('c1', '社区');
         INSERT INTO users (username, password_hash, role, community_id, created_at_ms)
             VALUES ('old', 'hash', 'staff', 'c1', 1);
         INSERT INTO sessions (token_hash, user_id, created_at_ms, expires_at_ms)
             VALUES (x'01', 1, 1, 9999999999999);
         INSERT INTO ops (id, community, device_id, author, entity_kind, entity_id, json, received_at_ms)
             VALUES ('op-1', 'c1', 'd', 'old', 'compound', 'e', '{}', 1);
         INSERT INTO rejections (op_id, community, code, field, error, json, at_ms)
             VALUES ('op-2', 'c1', 'required', NULL, '{}', '{}', 1);",
    )
    .unwrap();
    if version >= 2 {
        conn.execute_batch(
            "INSERT INTO voting_codes (code_hash, community, project_id, household_id, status, issued_at_ms, issued_by)
                 VALUES (x'02', 'c1', 'p', 'h', 'active', 1, 'old');
             INSERT INTO resident_sessions (token_hash, code_hash, created_at_ms, expires_at_ms)
                 VALUES (x'03', x'02', 1, 9999999999999);",
        )
        .unwrap();
    }
}

#[test]
fn sqlite_from_every_earlier_version_with_data() {
    for from in 1..schema_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("linli.db");
        {
            let conn = rusqlite::Connection::open(&path).unwrap();
            for (v, sql) in MIGRATIONS.iter().filter(|(v, _)| *v <= from) {
                conn.execute_batch(sql).unwrap();
                conn.pragma_update(None, "user_version", v).unwrap();
            }
            fill(&conn, from);
        }
        let db = Db::open(&Database::Sqlite(path.clone())).unwrap();
        let (user, ops, codes) = db
            .read(|c| {
                let user = linli_server::db::user_by_name(c, "old")?.expect("the account");
                let ops = c.query_one("SELECT count(*) FROM ops", &[])?.int(0)?;
                let codes = c
                    .query_one("SELECT count(*) FROM voting_codes", &[])?
                    .int(0)?;
                Ok((user, ops, codes))
            })
            .unwrap();
        assert_eq!((user.community.as_str(), ops), ("c1", 1), "from {from}");
        assert_eq!(codes, i64::from(from >= 2), "from {from}");
        let v: u32 = db
            .sqlite_writer()
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema_version(), "from {from}");
    }
}

#[test]
fn postgres_fresh_reopened_and_too_new() {
    if !linli_tests::on_postgres() {
        eprintln!("PostgreSQL only (set LINLI_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let url = linli_tests::database_url(&dir.path().join("linli.db"));
    let database = linli_server::config::parse_database_url(&url).unwrap();
    let db = Db::open(&database).unwrap();
    let version = |db: &Db| {
        db.read(|c| c.query_one("SELECT version FROM linli_schema", &[])?.int(0))
            .unwrap()
    };
    assert_eq!(version(&db), i64::from(schema_version()));
    db.write(|c| {
        linli_server::db::create_community(c, "x", "X")?;
        Ok(())
    })
    .unwrap();
    drop(db);
    // Reopened: nothing to apply, the data kept.
    let db = Db::open(&database).unwrap();
    let pool = db.pg().unwrap();
    let mut conn = pool.get().unwrap();
    assert_eq!(linli_server::db::pg::migrate(&mut conn).unwrap(), 0);
    assert!(
        db.read(|c| linli_server::db::community_exists(c, "x"))
            .unwrap()
    );
    // A database from a newer build is refused rather than misread (and the server does not start).
    db.write(|c| {
        c.execute(
            "UPDATE linli_schema SET version = ?1",
            linli_server::args![i64::from(schema_version()) + 1],
        )
    })
    .unwrap();
    assert!(matches!(Db::open(&database), Err(DbError::TooNew { .. })));
    let out = cli::run(
        &["admin", "create-community", "--id", "y", "--name", "Y"],
        "",
        &[("DATABASE_URL", &url)],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer than this build"));
    pool.put(conn);
}
