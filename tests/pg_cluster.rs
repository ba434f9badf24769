//! The throwaway cluster of `tests/pg/` itself: reachable over loopback
//! and its socket, its database as the schema needs it (UTF8, C
//! collation), and gone after drop — no server left running, no
//! directory left behind.

mod pg;

use pg::PgCluster;

#[test]
fn a_cluster_starts_serves_and_leaves_nothing_behind() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let mut tcp = cluster.connect();
    let row = tcp
        .query_one(
            "SELECT current_setting('server_version_num')::int,
                    datcollate::text, pg_encoding_to_char(encoding)::text
             FROM pg_database WHERE datname = current_database()",
            &[],
        )
        .unwrap();
    let (version, collate, encoding): (i32, String, String) = (row.get(0), row.get(1), row.get(2));
    assert!(version >= 150000, "PostgreSQL 15 or later, got {version}");
    assert_eq!((collate.as_str(), encoding.as_str()), ("C", "UTF8"));

    let mut socket = postgres::Client::connect(&cluster.socket_params(), postgres::NoTls)
        .expect("the database over the Unix socket");
    let one: i32 = socket.query_one("SELECT 1", &[]).unwrap().get(0);
    assert_eq!(one, 1);

    let dir = cluster.dir().to_path_buf();
    let url = cluster.url();
    // Open connections must not keep the server up: stop is `-m fast`.
    drop(cluster);
    assert!(!dir.exists(), "{} left behind", dir.display());
    assert!(
        postgres::Client::connect(&url, postgres::NoTls).is_err(),
        "the server still answers at {url}"
    );
    drop((tcp, socket));
}
