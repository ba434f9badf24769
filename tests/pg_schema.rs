//! The PostgreSQL schema (`src/store/pg/schema.sql`) keeps the lot's
//! guarantees by itself, as the SQLite one does: every refusal below comes
//! from the database (a constraint, a partial unique index or a trigger),
//! not from trucklot's code, which does not run here at all. And the schema
//! mirrors the SQLite one: the same tables, columns, indexes and version as
//! a new SQLite lot, so a SQLite migration without its PostgreSQL twin
//! fails here.
//!
//! One cluster for the whole file (starting one takes about a second);
//! every check runs in its own transaction, rolled back at its end, so the
//! checks cannot see each other's rows.

mod pg;

use std::collections::{BTreeMap, BTreeSet};

use pg::PgCluster;
use postgres::error::SqlState;
use postgres::{Client, Transaction};
use trucklot::domain::layout::DEFAULT_LAYOUT;
use trucklot::store::{SCHEMA_VERSION, Store};

const SCHEMA: &str = include_str!("../src/store/pg/schema.sql");

#[test]
fn the_postgres_schema_keeps_the_lots_guarantees_itself() {
    let Some(cluster) = PgCluster::start() else {
        return;
    };
    let mut client = cluster.connect();
    // In one transaction, as the store will apply it: all or nothing.
    let mut tx = client.transaction().unwrap();
    tx.batch_execute(SCHEMA).expect("the schema applies");
    tx.commit().unwrap();

    type Check = fn(&mut Transaction<'_>);
    let checks: &[(&str, Check)] = &[
        ("one open stay per plate", one_open_stay_per_plate),
        (
            "one bay per truck, one open stretch per bay",
            one_truck_one_bay,
        ),
        ("a closed bay holds no truck", closed_xor_occupied),
        (
            "departed exactly when departed_at is set",
            departed_has_a_time,
        ),
        ("the event log is append-only", events_append_only),
        ("actions are append-only", actions_append_only),
        ("personal values can only be blanked", personal_only_blanked),
        ("list values are checked", list_values_checked),
        ("references are checked", references_checked),
        ("one pending sample per test, tubes unique", samples_unique),
    ];
    for (name, check) in checks {
        let mut tx = client.transaction().unwrap();
        check(&mut tx);
        // Dropped without commit: rolled back.
        drop(tx);
        eprintln!("ok: {name}");
    }

    mirrors_the_sqlite_schema(&mut client);
}

/// A stay (id 1, 晋D12345, parked), two free parking bays and one event
/// for the rows that must reference one.
fn fixture(tx: &mut Transaction<'_>) {
    tx.batch_execute(
        "INSERT INTO events (at, operator, terminal, kind, stay, bay, details)
             VALUES ('2026-11-25T08:00:00.000Z', 'li.na', 'gate-1', 'arrived', 1, 'P-01-01', '{}');
         INSERT INTO stays (id, plate, status, cargo, travel_flag, handoff_required, flags,
                            arrived_at, bay_since, code)
             VALUES (1, '晋D12345', 'parked', 'ordinary', 0, 0, '',
                     '2026-11-25T08:00:00.000Z', '2026-11-25T08:00:00.000Z', 'green');
         INSERT INTO bays (id, zone, ord) VALUES ('P-01-01', 'parking', 0), ('P-01-02', 'parking', 1);",
    )
    .expect("the fixture is valid");
}

/// The only event of the fixture.
fn event_id(tx: &mut Transaction<'_>) -> i64 {
    tx.query_one("SELECT id FROM events", &[]).unwrap().get(0)
}

/// Runs `sql` in a savepoint and asserts the database refuses it with
/// `code`, naming `what` (the constraint, or a word of the trigger's
/// message); the savepoint is rolled back, so the check goes on.
fn refused(tx: &mut Transaction<'_>, sql: &str, code: &SqlState, what: &str) {
    let mut sp = tx.transaction().unwrap();
    let err = sp
        .batch_execute(sql)
        .err()
        .unwrap_or_else(|| panic!("the database accepted: {sql}"));
    drop(sp);
    let db = err
        .as_db_error()
        .unwrap_or_else(|| panic!("not a database error for {sql}: {err}"));
    assert_eq!(db.code(), code, "{sql}: {}", db.message());
    let named = db.constraint() == Some(what) || db.message().contains(what);
    assert!(
        named,
        "{sql}: refused by {:?} ({}), expected {what}",
        db.constraint(),
        db.message()
    );
}

/// Runs `sql` and asserts it is accepted (the positive
/// control beside each refusal: a rule that refused everything would pass
/// the refusals too).
fn accepted(tx: &mut Transaction<'_>, sql: &str) {
    tx.batch_execute(sql)
        .unwrap_or_else(|e| panic!("refused: {sql}: {e}"));
}

fn one_open_stay_per_plate(tx: &mut Transaction<'_>) {
    fixture(tx);
    let second = "INSERT INTO stays (id, plate, status, cargo, travel_flag, handoff_required,
                                     flags, arrived_at, bay_since)
                  VALUES (2, '晋D12345', 'parked', 'ordinary', 0, 0, '',
                          '2026-11-25T09:00:00.000Z', '2026-11-25T09:00:00.000Z')";
    refused(
        tx,
        second,
        &SqlState::UNIQUE_VIOLATION,
        "stays_one_open_per_plate",
    );
    // Once the first stay has left, the plate may come back.
    accepted(
        tx,
        "UPDATE stays SET status = 'departed', departed_at = '2026-11-25T08:30:00.000Z' WHERE id = 1",
    );
    accepted(tx, second);
}

fn one_truck_one_bay(tx: &mut Transaction<'_>) {
    fixture(tx);
    accepted(tx, "UPDATE bays SET occupant = 1 WHERE id = 'P-01-01'");
    // One truck per bay holds by construction (one `occupant` column);
    // `occupant UNIQUE` keeps a truck out of a second bay.
    refused(
        tx,
        "UPDATE bays SET occupant = 1 WHERE id = 'P-01-02'",
        &SqlState::UNIQUE_VIOLATION,
        "bays_occupant",
    );
    // The stretches of occupancy: one open stretch per bay and per stay.
    tx.batch_execute(
        "INSERT INTO stays (id, plate, status, cargo, travel_flag, handoff_required, flags,
                            arrived_at, bay_since)
             VALUES (2, '晋D67890', 'parked', 'ordinary', 0, 0, '',
                     '2026-11-25T09:00:00.000Z', '2026-11-25T09:00:00.000Z');
         INSERT INTO occupancy (id, bay, stay, from_at)
             VALUES (1, 'P-01-01', 1, '2026-11-25T08:00:00.000Z');",
    )
    .unwrap();
    refused(
        tx,
        "INSERT INTO occupancy (id, bay, stay, from_at)
             VALUES (2, 'P-01-01', 2, '2026-11-25T09:00:00.000Z')",
        &SqlState::UNIQUE_VIOLATION,
        "occupancy_open_bay",
    );
    refused(
        tx,
        "INSERT INTO occupancy (id, bay, stay, from_at)
             VALUES (2, 'P-01-02', 1, '2026-11-25T09:00:00.000Z')",
        &SqlState::UNIQUE_VIOLATION,
        "occupancy_open_stay",
    );
    refused(
        tx,
        "UPDATE occupancy SET to_at = '2026-11-25T07:00:00.000Z' WHERE id = 1",
        &SqlState::CHECK_VIOLATION,
        "occupancy_check",
    );
    // Closed, the stretch no longer holds the bay.
    accepted(
        tx,
        "UPDATE occupancy SET to_at = '2026-11-25T09:00:00.000Z' WHERE id = 1;
         INSERT INTO occupancy (id, bay, stay, from_at)
             VALUES (2, 'P-01-01', 2, '2026-11-25T09:00:00.000Z')",
    );
}

fn closed_xor_occupied(tx: &mut Transaction<'_>) {
    fixture(tx);
    refused(
        tx,
        "UPDATE bays SET occupant = 1, closed_reason = 'drain repair' WHERE id = 'P-01-01'",
        &SqlState::CHECK_VIOLATION,
        "bays_closed_or_occupied",
    );
    // Closing an occupied bay, and parking in a closed one.
    accepted(tx, "UPDATE bays SET occupant = 1 WHERE id = 'P-01-01'");
    refused(
        tx,
        "UPDATE bays SET closed_reason = 'drain repair' WHERE id = 'P-01-01'",
        &SqlState::CHECK_VIOLATION,
        "bays_closed_or_occupied",
    );
    accepted(
        tx,
        "UPDATE bays SET closed_reason = 'drain repair' WHERE id = 'P-01-02'",
    );
    refused(
        tx,
        "UPDATE bays SET occupant = NULL WHERE id = 'P-01-01';
         UPDATE bays SET occupant = 1 WHERE id = 'P-01-02'",
        &SqlState::CHECK_VIOLATION,
        "bays_closed_or_occupied",
    );
}

fn departed_has_a_time(tx: &mut Transaction<'_>) {
    fixture(tx);
    refused(
        tx,
        "UPDATE stays SET status = 'departed' WHERE id = 1",
        &SqlState::CHECK_VIOLATION,
        "stays_departed_when_departed_at",
    );
    refused(
        tx,
        "UPDATE stays SET departed_at = '2026-11-25T09:00:00.000Z' WHERE id = 1",
        &SqlState::CHECK_VIOLATION,
        "stays_departed_when_departed_at",
    );
}

fn events_append_only(tx: &mut Transaction<'_>) {
    fixture(tx);
    let c = &SqlState::INTEGRITY_CONSTRAINT_VIOLATION;
    let what = "the event log is append-only";
    refused(tx, "UPDATE events SET operator = 'someone.else'", c, what);
    // Even an update that changes nothing: no row is ever rewritten.
    refused(tx, "UPDATE events SET kind = kind", c, what);
    refused(tx, "DELETE FROM events", c, what);
    refused(tx, "TRUNCATE events CASCADE", c, what);
    // Appending is what the log is for.
    accepted(
        tx,
        "INSERT INTO events (at, operator, terminal, kind, details)
             VALUES ('2026-11-25T08:01:00.000Z', 'li.na', 'gate-1', 'disinfected', '{}')",
    );
    // Ids come from the database alone.
    refused(
        tx,
        "INSERT INTO events (id, at, operator, terminal, kind, details)
             VALUES (99, '2026-11-25T08:02:00.000Z', 'li.na', 'gate-1', 'disinfected', '{}')",
        &SqlState::GENERATED_ALWAYS,
        "id",
    );
}

fn actions_append_only(tx: &mut Transaction<'_>) {
    fixture(tx);
    let ev = event_id(tx);
    accepted(
        tx,
        &format!(
            "INSERT INTO actions (id, first_event, last_event)
                 VALUES ('0193a1b2-0000-7000-8000-000000000001', {ev}, {ev})"
        ),
    );
    let c = &SqlState::INTEGRITY_CONSTRAINT_VIOLATION;
    let what = "actions are append-only";
    refused(tx, "UPDATE actions SET id = 'another'", c, what);
    refused(tx, "DELETE FROM actions", c, what);
    refused(tx, "TRUNCATE actions", c, what);
    // An action's events are recorded once: no second action on them.
    refused(
        tx,
        &format!(
            "INSERT INTO actions (id, first_event, last_event)
                 VALUES ('0193a1b2-0000-7000-8000-000000000002', {ev}, {ev})"
        ),
        &SqlState::UNIQUE_VIOLATION,
        "actions_first_event_key",
    );
}

fn personal_only_blanked(tx: &mut Transaction<'_>) {
    fixture(tx);
    let ev = event_id(tx);
    accepted(
        tx,
        &format!(
            "INSERT INTO personal (event, slot, stay, value)
                 VALUES ({ev}, '/arrival/driver', 1, '\"张三\"'),
                        ({ev}, '/arrival/phone', 1, '\"13800138000\"')"
        ),
    );
    let c = &SqlState::INTEGRITY_CONSTRAINT_VIOLATION;
    let blanked = "personal data can only be blanked";
    refused(
        tx,
        "UPDATE personal SET value = '\"李四\"' WHERE slot = '/arrival/driver'",
        c,
        blanked,
    );
    refused(
        tx,
        "UPDATE personal SET slot = '/arrival/origin', value = NULL WHERE slot = '/arrival/driver'",
        c,
        blanked,
    );
    refused(
        tx,
        "UPDATE personal SET stay = NULL, value = NULL WHERE slot = '/arrival/driver'",
        c,
        blanked,
    );
    let deleted = "personal data is blanked by a purge, never deleted";
    refused(tx, "DELETE FROM personal", c, deleted);
    refused(tx, "TRUNCATE personal", c, deleted);
    // A purge blanks, and a blanked value stays blank.
    accepted(
        tx,
        "UPDATE personal SET value = NULL WHERE slot = '/arrival/driver'",
    );
    refused(
        tx,
        "UPDATE personal SET value = '\"张三\"' WHERE slot = '/arrival/driver'",
        c,
        blanked,
    );
    let left: Vec<Option<String>> = tx
        .query("SELECT value FROM personal ORDER BY slot", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(left, [None, Some("\"13800138000\"".to_string())]);
}

fn list_values_checked(tx: &mut Transaction<'_>) {
    fixture(tx);
    let c = &SqlState::CHECK_VIOLATION;
    refused(tx, "UPDATE stays SET code = 'blue'", c, "stays_code_check");
    refused(
        tx,
        "UPDATE stays SET status = 'gone'",
        c,
        "stays_status_check",
    );
    // NULL is how a purge leaves a code.
    accepted(tx, "UPDATE stays SET code = NULL");
    let person = |n: i64, code: &str| {
        format!(
            "INSERT INTO people (stay, person, name, code, checked_at)
                 VALUES (1, {n}, '李四', {code}, '2026-11-25T08:00:00.000Z')"
        )
    };
    refused(tx, &person(1, "'blue'"), c, "people_code_check");
    refused(tx, &person(4, "'green'"), c, "people_person_check");
    accepted(tx, &person(3, "'yellow'"));
    let sample = |test: &str, result: &str| {
        format!(
            "INSERT INTO samples (id, stay, test, taken_at, due_at, result)
                 VALUES (10, 1, {test}, '2026-11-25T08:00:00.000Z', '2026-11-25T08:30:00.000Z', {result})"
        )
    };
    refused(tx, &sample("'saliva'", "NULL"), c, "samples_test_check");
    refused(tx, &sample("'pcr'", "'unclear'"), c, "samples_result_check");
    refused(
        tx,
        "INSERT INTO service_calls (id, stay, service, requested_at)
             VALUES (20, 1, 'taxi', '2026-11-25T08:00:00.000Z')",
        c,
        "service_calls_service_check",
    );
    refused(
        tx,
        "INSERT INTO policy (id, value, since, event) VALUES (2, '{}', '2026-11-25T08:00:00.000Z', 1)",
        c,
        "policy_id_check",
    );
}

fn references_checked(tx: &mut Transaction<'_>) {
    fixture(tx);
    let c = &SqlState::FOREIGN_KEY_VIOLATION;
    refused(
        tx,
        "UPDATE bays SET occupant = 42 WHERE id = 'P-01-01'",
        c,
        "bays_occupant_fkey",
    );
    refused(
        tx,
        "INSERT INTO personal (event, slot, value) VALUES (424242, '/x', '1')",
        c,
        "personal_event_fkey",
    );
    refused(
        tx,
        "INSERT INTO occupancy (id, bay, stay, from_at) VALUES (1, 'X-99', 1, '2026-11-25T08:00:00.000Z')",
        c,
        "occupancy_bay_fkey",
    );
}

fn samples_unique(tx: &mut Transaction<'_>) {
    fixture(tx);
    let sample = |id: i64, test: &str, tube: &str| {
        format!(
            "INSERT INTO samples (id, stay, test, tube, taken_at, due_at)
                 VALUES ({id}, 1, '{test}', '{tube}', '2026-11-25T08:00:00.000Z', '2026-11-25T08:30:00.000Z')"
        )
    };
    accepted(tx, &sample(10, "antigen", "T-1"));
    refused(
        tx,
        &sample(11, "antigen", "T-2"),
        &SqlState::UNIQUE_VIOLATION,
        "samples_one_pending",
    );
    refused(
        tx,
        &sample(11, "pcr", "T-1"),
        &SqlState::UNIQUE_VIOLATION,
        "samples_tube",
    );
    // With its result in, the next sample of that test may be taken.
    accepted(
        tx,
        "UPDATE samples SET result = 'invalid', result_at = '2026-11-25T08:20:00.000Z' WHERE id = 10",
    );
    accepted(tx, &sample(11, "antigen", "T-2"));
}

/// Tables → columns, and index names, of a new SQLite lot and of the
/// PostgreSQL database, compared; and the version row against
/// `SCHEMA_VERSION`. This is what makes "must change with every SQLite
/// migration" fail a test instead of relying on memory.
fn mirrors_the_sqlite_schema(client: &mut Client) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lot.db");
    drop(Store::create(&path, DEFAULT_LAYOUT).expect("a new SQLite lot"));
    let lite = rusqlite::Connection::open(&path).unwrap();

    let mut sqlite_columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut st = lite
        .prepare(
            "SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid",
        )
        .unwrap();
    for row in st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
    {
        let (t, c) = row.unwrap();
        sqlite_columns.entry(t).or_default().push(c);
    }
    let sqlite_indexes: BTreeSet<String> = lite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let sqlite_triggers: BTreeSet<String> = lite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();

    let mut pg_columns: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in client
        .query(
            "SELECT table_name::text, column_name::text FROM information_schema.columns
             WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
            &[],
        )
        .unwrap()
    {
        pg_columns.entry(row.get(0)).or_default().push(row.get(1));
    }
    assert_eq!(
        pg_columns, sqlite_columns,
        "tables and their columns, in order"
    );

    // SQLite names the indexes it makes for UNIQUE and PRIMARY KEY itself
    // (`sql IS NULL`, left out above); PostgreSQL names them `*_pkey` and
    // `*_key`. The explicit ones must be the same.
    let pg_indexes: BTreeSet<String> = client
        .query(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'
               AND indexname NOT LIKE '%\\_pkey' AND indexname NOT LIKE '%\\_key'",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(pg_indexes, sqlite_indexes, "indexes");

    // Every SQLite trigger has its PostgreSQL namesake; PostgreSQL adds
    // the TRUNCATE ones SQLite has no need of.
    let pg_triggers: BTreeSet<String> = client
        .query(
            "SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal",
            &[],
        )
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    let missing: Vec<_> = sqlite_triggers.difference(&pg_triggers).collect();
    assert!(
        missing.is_empty(),
        "triggers missing in PostgreSQL: {missing:?}"
    );

    let version: String = client
        .query_one("SELECT value FROM meta WHERE key = 'schema_version'", &[])
        .unwrap()
        .get(0);
    assert_eq!(
        version,
        SCHEMA_VERSION.to_string(),
        "src/store/pg/schema.sql mirrors an older SQLite schema: port the new migrations"
    );
    eprintln!("ok: mirrors SQLite schema version {SCHEMA_VERSION}");
}
