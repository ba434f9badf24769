//! The PostgreSQL side of the store's one SQL path (`conn`): a connection
//! to the server, its prepared statements, values bound by the types the
//! server asks for, rows read by their column types, errors turned into
//! the store's, and change notices (`LISTEN`).
//!
//! What does not live here: the SQL itself (written once in `apply`,
//! `queries`… with SQLite's `?N` placeholders, rewritten here), opening a
//! lot and its schema (`pg::lot`), TLS (`pg::tls`).

pub(super) mod lot;
mod password;
mod tls;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::error::Error as StdError;
use std::time::Duration;

use bytes::BytesMut;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{IsNull, ToSql, Type, to_sql_checked};

use super::conn::Value;
use super::{Result, StoreError};

/// Every write transaction takes this lock first and holds it to its end:
/// one writer at a time, as SQLite's `BEGIN IMMEDIATE`. The rules read,
/// decide and write; without it two gates under READ COMMITTED could both
/// plan for the last free isolation bay. It also keeps event ids in commit
/// order (an id taken under the lock cannot be overtaken), which paging the
/// log by id and "events after N" rely on. `lock_timeout` is the busy
/// timeout: a writer waits up to 5 s, then is told the lot is busy.
pub(super) const BEGIN_WRITE: &str = "BEGIN ISOLATION LEVEL READ COMMITTED; \
     SET LOCAL lock_timeout = '5s'; \
     SELECT pg_advisory_xact_lock(5462475276)";

/// One snapshot for every statement of the transaction, no lock.
pub(super) const BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ";

/// The channel a trigger on `events` notifies when a transaction that
/// recorded events commits (`schema.sql`).
pub(super) const CHANNEL: &str = "trucklot_events";

/// A connection to the lot's server.
pub(crate) struct PgConn {
    client: RefCell<postgres::Client>,
    /// Prepared statements by the store's own text (before `?N` became
    /// `$N`): preparing costs a round trip to the server.
    statements: RefCell<HashMap<String, postgres::Statement>>,
    /// Open transaction and savepoints: PostgreSQL has no
    /// `is_autocommit()` to ask.
    depth: Cell<u32>,
    /// This connection's server process, once it listens: its own
    /// commits' notices come back to it and are not news.
    own_pid: Cell<Option<i32>>,
    /// The password file passed over because others can read it: told
    /// when the lot is opened (`Notice::PasswordFileIgnored`), not again
    /// on a reconnection, which may come while the interface has the screen.
    pub(super) ignored_password_file: Option<std::path::PathBuf>,
}

impl PgConn {
    pub(super) fn connect(url: &str) -> Result<PgConn> {
        let mut config: postgres::Config = url.parse().map_err(|e| StoreError::Unreadable {
            path: std::path::PathBuf::new(),
            detail: format!("the server address is not valid: {e}"),
        })?;
        if config.get_user().is_none()
            && let Ok(user) = std::env::var("PGUSER").or_else(|_| std::env::var("USER"))
        {
            // libpq's default: the operating-system user.
            config.user(&user);
        }
        let mut ignored_password_file = None;
        if config.get_password().is_none() {
            let host = match config.get_hosts().first() {
                Some(postgres::config::Host::Tcp(h)) => h.clone(),
                _ => "localhost".to_owned(),
            };
            let user = config.get_user().unwrap_or_default().to_owned();
            let target = password::Target {
                host: &host,
                port: config.get_ports().first().copied().unwrap_or(5432),
                database: config.get_dbname().unwrap_or(&user),
                user: &user,
            };
            match password::find(&target) {
                password::Found::Password(p) => {
                    config.password(p);
                }
                password::Found::Ignored(file) => ignored_password_file = Some(file),
                password::Found::None => {}
            }
        }
        if config.get_application_name().is_none() {
            config.application_name("trucklot");
        }
        if config.get_connect_timeout().is_none() {
            // A gate must hear "unreachable" in seconds, not minutes.
            config.connect_timeout(Duration::from_secs(5));
        }
        // A server that vanished (power, cable) is noticed by the next
        // statement rather than after the kernel's two hours.
        config.keepalives(true);
        config.keepalives_idle(Duration::from_secs(30));
        let client = config
            .connect(tls::connector()?)
            .map_err(|e| refused_connection(e, &config))?;
        Ok(PgConn {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
            depth: Cell::new(0),
            own_pid: Cell::new(None),
            ignored_password_file,
        })
    }

    pub(super) fn depth(&self) -> u32 {
        self.depth.get()
    }

    pub(super) fn enter(&self) {
        self.depth.set(self.depth.get() + 1);
    }

    pub(super) fn leave(&self) {
        self.depth.set(self.depth.get().saturating_sub(1));
    }

    /// The prepared statement for `sql`, prepared on first use.
    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st =
            self.client.borrow_mut().prepare(&numbered(sql)).map_err(
                |e| match StoreError::from(e) {
                    // The server could not take the store's own SQL: a fault of
                    // this program, said with the statement for the log.
                    StoreError::Sql(what) => StoreError::Sql(format!(
                        "{what} in: {}",
                        sql.split_whitespace().collect::<Vec<_>>().join(" ")
                    )),
                    e => e,
                },
            )?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), st.clone());
        Ok(st)
    }

    /// Forgets every prepared statement: a statement planned against a
    /// table keeps reading that table even once a temporary table of the
    /// same name shadows it (`check`), so the replay must prepare anew.
    pub(super) fn forget_statements(&self) {
        self.statements.borrow_mut().clear();
    }

    pub(super) fn execute(&self, sql: &str, params: &[Value]) -> Result<usize> {
        let st = self.statement(sql)?;
        let binds = binds(params);
        let n = self.client.borrow_mut().execute(&st, &refs(&binds))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(super) fn query(&self, sql: &str, params: &[Value]) -> Result<Vec<postgres::Row>> {
        let st = self.statement(sql)?;
        let binds = binds(params);
        Ok(self.client.borrow_mut().query(&st, &refs(&binds))?)
    }

    pub(super) fn batch(&self, sql: &str) -> Result<()> {
        Ok(self.client.borrow_mut().batch_execute(sql)?)
    }

    /// Starts hearing about other connections' commits (`changed`).
    pub(super) fn listen(&self) -> Result<()> {
        self.batch(&format!("LISTEN {CHANNEL}"))?;
        let pid = self
            .client
            .borrow_mut()
            .query_one("SELECT pg_backend_pid()", &[])?;
        self.own_pid.set(Some(pid.try_get(0)?));
        Ok(())
    }

    /// Whether another connection committed events since the last call:
    /// drains the notices waiting on the socket without blocking. A lost
    /// connection is an error (`Disconnected`), not "nothing changed".
    pub(super) fn changed(&self) -> Result<bool> {
        let mut client = self.client.borrow_mut();
        let mut any = false;
        {
            let mut notes = client.notifications();
            // Not `iter()`: it answers from what was already read and never
            // lets the client's runtime look at the socket, so notices that
            // arrive while the connection is idle would never be seen. A
            // few milliseconds of waiting lets it read them.
            let mut it = notes.timeout_iter(Duration::from_millis(5));
            while let Some(note) = it.next().map_err(StoreError::from)? {
                any |= Some(note.process_id()) != self.own_pid.get();
            }
        }
        if client.is_closed() {
            return Err(StoreError::Disconnected {
                detail: "the connection was closed".into(),
            });
        }
        Ok(any)
    }

    /// Asks the server whether it still answers (after a failure).
    pub(super) fn alive(&self) -> bool {
        let mut client = self.client.borrow_mut();
        !client.is_closed() && client.is_valid(Duration::from_secs(2)).is_ok()
    }
}

/// Why the server would not take the connection, in words that say what to
/// do: the server's answer when it gave one, the network's otherwise.
fn refused_connection(e: postgres::Error, config: &postgres::Config) -> StoreError {
    let user = config.get_user().unwrap_or_default();
    let database = config.get_dbname().unwrap_or(user);
    let detail = match e.as_db_error().map(|d| d.code().code()) {
        Some("3D000") => format!(
            "the server has no database '{database}': create it (UTF8, LC_COLLATE 'C'), then run init"
        ),
        Some("28P01") => format!(
            "the server refused the password of '{user}' (from the address, PGPASSWORD or ~/.pgpass)"
        ),
        // No pg_hba.conf line lets this user in from here, or not without
        // TLS: the server's own words name which.
        Some("28000") => format!(
            "the server refused the connection: {}",
            e.as_db_error().map_or("", |d| d.message())
        ),
        Some(_) => return StoreError::from(e),
        None => {
            // "error connecting to server" alone says nothing of why.
            let mut why = e.to_string();
            let mut network = false;
            let mut source = e.source();
            while let Some(s) = source {
                why = format!("{why}: {s}");
                network |= s.downcast_ref::<std::io::Error>().is_some();
                source = s.source();
            }
            // The network's failure is worth retrying; an address that
            // cannot work (no host in it) is not.
            if network || e.is_closed() {
                return StoreError::Disconnected { detail: why };
            }
            format!("the server address is not valid: {why}")
        }
    };
    StoreError::Unreadable {
        path: std::path::PathBuf::new(),
        detail,
    }
}

/// The store's SQL as PostgreSQL takes it: `?N` (and bare `?`)
/// placeholders as `$N`, and SQLite's planner hints, which PostgreSQL has
/// no equivalent of, left out: `INDEXED BY name`, and `CROSS JOIN … ON`
/// (SQLite's way to fix the join order; the store writes it only with
/// `ON`, so it is an inner join). Text in quotes and `--` comments is
/// left as it is.
pub(crate) fn numbered(sql: &str) -> String {
    let out = dollars(sql);
    let out = match out.find(" INDEXED BY ") {
        None => out,
        Some(_) => without_hints(&out),
    };
    if out.contains(" CROSS JOIN ") {
        out.replace(" CROSS JOIN ", " JOIN ")
    } else {
        out
    }
}

/// `INDEXED BY name` removed wherever it stands.
fn without_hints(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(i) = rest.find(" INDEXED BY ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " INDEXED BY ".len()..];
        let name_end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = &after[name_end..];
    }
    out.push_str(rest);
    out
}

fn dollars(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut bare = 0;
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        if let Some(q) = quote {
            out.push(c);
            if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                out.push(c);
            }
            '-' if chars.peek() == Some(&'-') => {
                if chars.any(|c| c == '\n') {
                    out.push('\n');
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    // SQLite numbers a bare `?` one past the largest so far.
                    bare += 1;
                    digits = bare.to_string();
                } else if let Ok(n) = digits.parse::<u32>() {
                    bare = bare.max(n);
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A value bound as the type the server decided for its parameter: the
/// store's values are SQLite's four, which SQLite coerces and PostgreSQL
/// does not. A value that does not fit its parameter is an error, never a
/// silent cast.
#[derive(Debug)]
struct Bind<'a>(&'a Value);

impl ToSql for Bind<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> std::result::Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match (self.0, ty) {
            (Value::Null, _) => Ok(IsNull::Yes),
            (Value::Integer(v), t) if *t == Type::INT8 => v.to_sql(ty, out),
            (Value::Integer(v), t) if *t == Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
            (Value::Integer(v), t) if *t == Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
            (Value::Integer(v), t) if *t == Type::BOOL => (*v != 0).to_sql(ty, out),
            (Value::Integer(v), t) if *t == Type::FLOAT8 => (*v as f64).to_sql(ty, out),
            (Value::Real(v), t) if *t == Type::FLOAT8 => v.to_sql(ty, out),
            (Value::Text(s), t) if is_text(t) => s.as_str().to_sql(ty, out),
            (v, t) => Err(format!("{v:?} does not fit a parameter of type {t}").into()),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Decided per value in `to_sql`, which refuses what does not fit.
        true
    }

    to_sql_checked!();
}

fn is_text(t: &Type) -> bool {
    [
        Type::TEXT,
        Type::VARCHAR,
        Type::BPCHAR,
        Type::NAME,
        Type::UNKNOWN,
    ]
    .contains(t)
}

fn binds(params: &[Value]) -> Vec<Bind<'_>> {
    params.iter().map(Bind).collect()
}

fn refs<'a>(binds: &'a [Bind<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
    binds.iter().map(|b| b as &(dyn ToSql + Sync)).collect()
}

/// Column `i` of a row by its type, as `conn::Row` reads it.
pub(super) fn cell<'r>(
    r: &'r postgres::Row,
    i: usize,
) -> std::result::Result<super::conn::Cell<'r>, postgres::Error> {
    use super::conn::Cell as C;
    let ty = r
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .unwrap_or(Type::VOID);
    Ok(match ty {
        t if t == Type::INT8 => r.try_get::<_, Option<i64>>(i)?.map_or(C::Null, C::Integer),
        t if t == Type::INT4 => r
            .try_get::<_, Option<i32>>(i)?
            .map_or(C::Null, |v| C::Integer(v.into())),
        t if t == Type::INT2 => r
            .try_get::<_, Option<i16>>(i)?
            .map_or(C::Null, |v| C::Integer(v.into())),
        t if t == Type::BOOL => r
            .try_get::<_, Option<bool>>(i)?
            .map_or(C::Null, |v| C::Integer(v.into())),
        t if t == Type::FLOAT8 => r.try_get::<_, Option<f64>>(i)?.map_or(C::Null, C::Real),
        t if t == Type::FLOAT4 => r
            .try_get::<_, Option<f32>>(i)?
            .map_or(C::Null, |v| C::Real(v.into())),
        t if is_text(&t) => r.try_get::<_, Option<&str>>(i)?.map_or(C::Null, C::Text),
        t => C::Other(format!("a value of type {t}")),
    })
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> StoreError {
        if let Some(db) = e.as_db_error() {
            let code = db.code().code();
            let what = match db.constraint() {
                Some(c) => format!("{} ({c})", db.message()),
                None => db.message().to_string(),
            };
            return match code {
                // Integrity (unique, check, foreign key, the triggers' own).
                c if c.starts_with("23") => StoreError::Conflict(what),
                // Lock timeout, serialization failure, deadlock.
                "55P03" | "40001" | "40P01" => StoreError::Busy,
                // The server shutting down or restarting under us.
                "57P01" | "57P02" | "57P03" => StoreError::Disconnected { detail: what },
                // A role that may only read, or a hot standby.
                "42501" | "25006" => StoreError::NotAllowed { detail: what },
                _ => StoreError::Sql(format!("{what} [{code}]")),
            };
        }
        let connection_lost = e.is_closed()
            || e.source()
                .is_some_and(|s| s.downcast_ref::<std::io::Error>().is_some());
        if connection_lost || e.to_string().contains("connect") {
            StoreError::Disconnected {
                detail: e.to_string(),
            }
        } else {
            StoreError::Sql(e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::numbered;

    #[test]
    fn placeholders_become_dollar_numbers() {
        assert_eq!(
            numbered("SELECT * FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT * FROM t WHERE a = $1 AND b = $12"
        );
        assert_eq!(numbered("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
        assert_eq!(numbered("a = ?2 AND b = ?"), "a = $2 AND b = $3");
    }

    #[test]
    fn quoted_text_and_comments_keep_their_question_marks() {
        assert_eq!(
            numbered("SELECT '?1', \"a?\" , ?1"),
            "SELECT '?1', \"a?\" , $1"
        );
        assert_eq!(numbered("SELECT ?1 -- why ?2\n, ?2"), "SELECT $1 \n, $2");
        assert_eq!(numbered("SELECT 'it''s ?', ?"), "SELECT 'it''s ?', $1");
    }

    #[test]
    fn planner_hints_are_left_out() {
        assert_eq!(
            numbered("SELECT min(id) FROM events INDEXED BY events_at WHERE at >= ?"),
            "SELECT min(id) FROM events WHERE at >= $1"
        );
        assert_eq!(
            numbered("FROM stays s INDEXED BY stays_one_open_per_plate\n WHERE x"),
            "FROM stays s\n WHERE x"
        );
        assert_eq!(
            numbered("FROM stays s CROSS JOIN people p ON p.stay = s.id"),
            "FROM stays s JOIN people p ON p.stay = s.id"
        );
    }
}
