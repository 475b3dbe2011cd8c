//! Several processes, one database: the process that holds a database (only one can: sled locks
//! it) answers the read statements of other processes over a local socket, and the others wait
//! for it when they must write.
//!
//! - [`Server::start`] binds `meetql.sock` in the database directory (owner-only: created in a
//!   private directory with mode 0700, made 0600, then moved into place) and answers on a
//!   thread of its own, through the same [`Engine`] its process uses — so a statement sees the
//!   database before an import or after it, never part of it. Dropping the server removes the
//!   socket. A socket left by a process killed with `kill -9` answers nobody; the next process
//!   that opens the database removes it and binds its own.
//! - [`open_reader`] gives a local [`Engine`] when the database is free, or [`Access::Remote`]
//!   when another process answers for it; [`open_writer`] waits for a busy database up to a
//!   timeout, then fails with [`Error::Open`] naming the holder and what it is doing.
//!
//! ## The protocol
//!
//! One request per connection. The client sends one frame: a 4-byte big-endian length, then
//! that many bytes (at most [`MAX_REQUEST`]) of a JSON object, one of
//!
//! ```text
//! {"op": "run", "origin": "<query>", "text": "meetings count", "params": {"org": "UN"},
//!  "format": "jsonl", "keep_going": false, "width": null}
//! {"op": "export", "format": "csv", "query": null}
//! {"op": "info"}
//! ```
//!
//! `run` runs statements (queries, `explain`, `let`, `expect`) and the dot-commands that touch
//! no file; `params` values are read as `--param` values are. The server answers with frames of
//! a tag byte, a 4-byte big-endian length (at most [`MAX_FRAME`]) and the payload: `o` bytes of
//! standard output, `e` bytes of standard error, then one `x` frame ending the answer,
//! `{"code": 0}` or `{"code": 1, "error": "..."}` (the exit code and message the command would
//! have given), or for `info` one `i` frame `{"pid": 123, "doing": "the shell", "path": "..."}`.
//! A frame too long, not JSON, or not one of these requests is answered with an `x` frame of
//! code 2 and the connection closed. Nothing in the protocol writes to the database.
//!
//! **Invariant:** this module reaches the database only through [`Engine`].

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Hold};
use crate::error::{Error, Result};
use crate::output::{OutputFormat, TableOptions};
use crate::session::Session;
use crate::{Literal, Params};

/// The socket's name in the database directory.
pub const SOCKET: &str = "meetql.sock";
/// The longest request frame a server reads (1 MiB).
pub const MAX_REQUEST: usize = 1 << 20;
/// The longest answer frame (64 KiB): output comes in frames of at most this many bytes.
pub const MAX_FRAME: usize = 64 << 10;
/// How many connections a server answers at once; more wait for the next free one.
pub const MAX_CONNECTIONS: usize = 16;
/// How long a server waits for a client's request, or for a client to take its output.
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

/// A request (see the module documentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "lowercase", deny_unknown_fields)]
pub enum Request {
    /// Run statements.
    Run {
        /// Names the text in errors: `<query>`, a script's path, `<stdin>`.
        origin: String,
        /// The statements.
        text: String,
        /// Parameters, each as `--param` gives it (the value's text).
        #[serde(default)]
        params: BTreeMap<String, String>,
        /// `table`, `line`, `json`, `jsonl` or `csv`.
        format: String,
        /// Go on after a failing statement.
        #[serde(default)]
        keep_going: bool,
        /// The terminal width to fit tables into.
        #[serde(default)]
        width: Option<u16>,
    },
    /// Export records as `jsonl`, `json` or `csv`.
    Export {
        /// The format.
        format: String,
        /// A `meetings` query selecting what to export (all when absent).
        #[serde(default)]
        query: Option<String>,
    },
    /// Who holds the database and what it is doing.
    Info,
}

/// What a holder says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// Its process id.
    pub pid: u32,
    /// What it is doing: `the shell`, `importing big.jsonl`.
    pub doing: String,
    /// The database directory.
    pub path: PathBuf,
}

/// The end of an answer: the exit code and error message the command would have given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    /// 0, 1, 2 or 3, as the command line's exit codes.
    pub code: i32,
    /// The message, without `error: `.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A running server; dropping it stops it and removes the socket.
pub struct Server {
    socket: PathBuf,
    stop: Arc<AtomicBool>,
    doing: Arc<Mutex<String>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// Closed when the server stops, which wakes its accept loop at once (a process that
    /// answered one query does not wait out a sleep before it exits).
    #[cfg(unix)]
    wake: Option<std::os::unix::net::UnixStream>,
}

impl Server {
    /// Starts answering for `engine`'s database; `doing` says what this process does (`the
    /// shell`), for the messages of processes that wait. Fails when the socket cannot be made
    /// (a path too long for a socket, a read-only directory); the process then works alone.
    #[cfg(unix)]
    pub fn start(engine: &Engine, doing: &str) -> Result<Server> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        use std::os::unix::net::UnixListener;
        let dir = engine.path().to_path_buf();
        let socket = dir.join(SOCKET);
        let io = |p: &Path, e: std::io::Error| Error::Io { path: p.to_path_buf(), source: e };
        // This process holds the database: a socket already there was left by a dead holder.
        let _ = std::fs::remove_file(&socket);
        let private = dir.join(format!(".meetql-sock-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&private);
        std::fs::DirBuilder::new().mode(0o700).create(&private).map_err(|e| io(&private, e))?;
        let staged = private.join("s");
        let bound = (|| {
            let listener = UnixListener::bind(&staged).map_err(|e| io(&staged, e))?;
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600)).map_err(|e| io(&staged, e))?;
            std::fs::rename(&staged, &socket).map_err(|e| io(&socket, e))?;
            listener.set_nonblocking(true).map_err(|e| io(&socket, e))?;
            Ok::<_, Error>(listener)
        })();
        let _ = std::fs::remove_dir_all(&private);
        let listener = bound?;
        let (wake, woken) = std::os::unix::net::UnixStream::pair().map_err(|e| io(&socket, e))?;
        let stop = Arc::new(AtomicBool::new(false));
        let doing = Arc::new(Mutex::new(doing.to_string()));
        let (engine, stop2, doing2) = (engine.clone(), stop.clone(), doing.clone());
        let thread = std::thread::Builder::new()
            .name("meetql-serve".into())
            .spawn(move || accept_loop(listener, woken, engine, stop2, doing2))
            .map_err(|e| io(&socket, e))?;
        Ok(Server { socket, stop, doing, thread: Some(thread), wake: Some(wake) })
    }

    /// Starts answering (not available on this platform).
    #[cfg(not(unix))]
    pub fn start(_engine: &Engine, _doing: &str) -> Result<Server> {
        Err(Error::Failed("answering other processes needs Unix sockets".into()))
    }

    /// Says what this process is doing now.
    pub fn set_doing(&self, doing: &str) {
        *self.doing.lock().unwrap_or_else(|p| p.into_inner()) = doing.to_string();
    }

    /// The socket's path.
    pub fn socket(&self) -> &Path {
        &self.socket
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        #[cfg(unix)]
        drop(self.wake.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.socket);
    }
}

/// How long an idle accept loop waits before it looks at its stop flag again (stopping wakes it
/// at once; this only bounds a wake-up that went missing).
#[cfg(unix)]
const IDLE_WAIT: Duration = Duration::from_millis(500);

/// Waits until a client connects, the server stops (`woken`'s other end is closed), or `limit`
/// passes. It used to sleep 20 ms between looks, and a one-shot `meetql query` spent up to
/// those 20 ms joining this thread before it could exit.
#[cfg(unix)]
fn wait_for_client(
    listener: &std::os::unix::net::UnixListener,
    woken: &std::os::unix::net::UnixStream,
    limit: Duration,
) {
    use std::os::fd::AsRawFd;
    let mut fds = [
        libc::pollfd { fd: listener.as_raw_fd(), events: libc::POLLIN, revents: 0 },
        libc::pollfd { fd: woken.as_raw_fd(), events: libc::POLLIN, revents: 0 },
    ];
    let ms = libc::c_int::try_from(limit.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: `fds` is an array of two initialised `pollfd`s that outlives the call, and both
    // descriptors stay open for it (the caller owns the listener and the stream). An error or
    // a signal only ends the wait early; the caller looks again.
    unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
}

#[cfg(unix)]
fn accept_loop(
    listener: std::os::unix::net::UnixListener,
    woken: std::os::unix::net::UnixStream,
    engine: Engine,
    stop: Arc<AtomicBool>,
    doing: Arc<Mutex<String>>,
) {
    let busy = Arc::new(AtomicUsize::new(0));
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                // Past the limit, the connection waits in the accept queue until one ends.
                while busy.load(Ordering::SeqCst) >= MAX_CONNECTIONS && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(10));
                }
                busy.fetch_add(1, Ordering::SeqCst);
                let (engine, doing, busy) = (engine.clone(), doing.clone(), busy.clone());
                let spawned = std::thread::Builder::new().name("meetql-answer".into()).spawn(move || {
                    let _ = answer(stream, &engine, &doing);
                    busy.fetch_sub(1, Ordering::SeqCst);
                });
                if spawned.is_err() {
                    // The closure (and its count) went with the failed spawn.
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => wait_for_client(&listener, &woken, IDLE_WAIT),
            Err(_) => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    // Let the answers in flight end (their output goes to clients already connected).
    let deadline = Instant::now() + Duration::from_secs(2);
    while busy.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Writes one answer frame.
fn frame(w: &mut dyn Write, tag: u8, payload: &[u8]) -> std::io::Result<()> {
    let mut head = [0u8; 5];
    head[0] = tag;
    head[1..].copy_from_slice(&(payload.len() as u32).to_be_bytes());
    w.write_all(&head)?;
    w.write_all(payload)
}

/// Output to the client as `o` or `e` frames of at most [`MAX_FRAME`] bytes.
struct FrameWriter<'a> {
    stream: &'a mut dyn Write,
    tag: u8,
    buf: Vec<u8>,
}

impl Write for FrameWriter<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let room = MAX_FRAME - self.buf.len();
        let n = b.len().min(room);
        self.buf.extend_from_slice(&b[..n]);
        if self.buf.len() >= MAX_FRAME {
            self.flush()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.buf.is_empty() {
            frame(self.stream, self.tag, &self.buf)?;
            self.buf.clear();
        }
        self.stream.flush()
    }
}

/// Reads one request frame: `Err` with the reason when it is too long or not a request.
pub fn read_request(r: &mut dyn Read) -> std::result::Result<Request, String> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).map_err(|e| format!("no request frame ({e})"))?;
    let len = u32::from_be_bytes(len) as usize;
    if len > MAX_REQUEST {
        return Err(format!("request frame of {len} bytes; at most {MAX_REQUEST} are read"));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body).map_err(|e| format!("request frame cut short ({e})"))?;
    serde_json::from_slice(&body).map_err(|e| format!("not a request: {e}"))
}

fn end(w: &mut dyn Write, code: i32, error: Option<String>) -> std::io::Result<()> {
    let body = serde_json::to_vec(&End { code, error }).unwrap_or_default();
    frame(w, b'x', &body)?;
    w.flush()
}

#[cfg(unix)]
fn answer(stream: std::os::unix::net::UnixStream, engine: &Engine, doing: &Mutex<String>) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(CLIENT_TIMEOUT))?;
    stream.set_write_timeout(Some(CLIENT_TIMEOUT))?;
    let mut reader = stream.try_clone()?;
    let mut writer = std::io::BufWriter::new(stream);
    let request = match read_request(&mut reader) {
        Ok(r) => r,
        Err(why) => return end(&mut writer, 2, Some(why)),
    };
    match request {
        Request::Info => {
            let info = Info {
                pid: std::process::id(),
                doing: doing.lock().unwrap_or_else(|p| p.into_inner()).clone(),
                path: engine.path().to_path_buf(),
            };
            frame(&mut writer, b'i', &serde_json::to_vec(&info).unwrap_or_default())?;
            writer.flush()
        }
        Request::Run { origin, text, params, format, keep_going, width } => {
            let Some(format) = OutputFormat::from_name(&format) else {
                return end(&mut writer, 2, Some(format!("unknown format '{format}'")));
            };
            let mut session = Session::new(engine.clone());
            session.restricted = true;
            session.notes = true;
            session.format = format;
            session.bail = !keep_going;
            session.table = TableOptions { width, bars: false, ..TableOptions::default() };
            session.outside = params.into_iter().map(|(k, v)| (k, Literal::infer(&v))).collect::<Params>();
            let mut stderr_buf = Vec::new();
            let result = {
                let mut out = FrameWriter { stream: &mut writer, tag: b'o', buf: Vec::new() };
                let r = session.run_text(&origin, &text, &mut out, &mut stderr_buf);
                let flushed = out.flush();
                flushed?;
                r
            };
            // Notes and --keep-going reports come after the output they follow.
            for chunk in stderr_buf.chunks(MAX_FRAME) {
                frame(&mut writer, b'e', chunk)?;
            }
            match result {
                Ok(_) => end(&mut writer, 0, None),
                Err(e) => end(&mut writer, e.exit_code(), Some(e.to_string())),
            }
        }
        Request::Export { format, query } => {
            let format = match format.as_str() {
                "jsonl" => crate::ingest::Format::Jsonl,
                "json" => crate::ingest::Format::Json,
                "csv" => crate::ingest::Format::Csv,
                other => return end(&mut writer, 2, Some(format!("unknown export format '{other}'"))),
            };
            let result = {
                let mut out = FrameWriter { stream: &mut writer, tag: b'o', buf: Vec::new() };
                let r = crate::session::export_records(engine, query.as_deref(), format, &mut out);
                out.flush()?;
                r
            };
            match result {
                Ok(_) => end(&mut writer, 0, None),
                Err(e) => end(&mut writer, e.exit_code(), Some(e.to_string())),
            }
        }
    }
}

/// Sends `request` to the process answering for the database at `db`, copying its output to
/// `out` and `err` as it comes; returns how the answer ended. `Ok(None)`: nobody answers there
/// (no socket, or one left by a dead process).
#[cfg(unix)]
pub fn ask(db: &Path, request: &Request, out: &mut dyn Write, err: &mut dyn Write) -> Result<Option<End>> {
    use std::os::unix::net::UnixStream;
    let socket = db.join(SOCKET);
    let Ok(mut stream) = UnixStream::connect(&socket) else {
        return Ok(None);
    };
    let io = |e: std::io::Error| Error::Io { path: socket.clone(), source: e };
    let body = serde_json::to_vec(request).map_err(|e| io(e.into()))?;
    if body.len() > MAX_REQUEST {
        return Err(Error::Failed(format!(
            "the statements are too long to send to the process holding the database ({} bytes; at most {MAX_REQUEST})",
            body.len()
        )));
    }
    // A holder that goes away between connect and answer leaves nothing to read: nobody answers.
    let mut msg = (body.len() as u32).to_be_bytes().to_vec();
    msg.extend_from_slice(&body);
    if stream.write_all(&msg).is_err() {
        return Ok(None);
    }
    let mut first = true;
    loop {
        let mut head = [0u8; 5];
        match stream.read_exact(&mut head) {
            Ok(()) => {}
            Err(_) if first => return Ok(None),
            Err(e) => {
                return Err(Error::Failed(format!(
                    "the process holding the database stopped answering ({e}); run the command again"
                )))
            }
        }
        first = false;
        let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
        if len > MAX_FRAME {
            return Err(Error::Failed(format!("the process holding the database sent a frame of {len} bytes")));
        }
        let mut payload = vec![0u8; len];
        stream.read_exact(&mut payload).map_err(io)?;
        match head[0] {
            b'o' => out.write_all(&payload).map_err(|e| Error::Io { path: "<stdout>".into(), source: e })?,
            b'e' => {
                let _ = out.flush();
                let _ = err.write_all(&payload);
            }
            b'i' => {
                let info: Info = serde_json::from_slice(&payload)
                    .map_err(|e| Error::Failed(format!("the process holding the database sent a bad answer: {e}")))?;
                let text = serde_json::to_string(&info).unwrap_or_default();
                return Ok(Some(End { code: 0, error: Some(text) }));
            }
            b'x' => {
                let end: End = serde_json::from_slice(&payload)
                    .map_err(|e| Error::Failed(format!("the process holding the database sent a bad answer: {e}")))?;
                return Ok(Some(end));
            }
            t => {
                return Err(Error::Failed(format!("the process holding the database sent an unknown frame ({t:#04x})")))
            }
        }
    }
}

/// Sends a request (not available on this platform: nobody answers).
#[cfg(not(unix))]
pub fn ask(_db: &Path, _request: &Request, _out: &mut dyn Write, _err: &mut dyn Write) -> Result<Option<End>> {
    Ok(None)
}

/// Who holds the database at `db` and what it is doing, when it answers.
pub fn holder(db: &Path) -> Option<Info> {
    let end = ask(db, &Request::Info, &mut std::io::sink(), &mut std::io::sink()).ok()??;
    serde_json::from_str(end.error.as_deref()?).ok()
}

/// Whether an error from [`Engine::open`] says another process holds the database.
pub fn is_busy(e: &Error) -> bool {
    e.is_busy()
}

/// How a command reaches a database.
pub enum Access {
    /// This process holds it.
    Local(Engine),
    /// Another process holds it and answers (see [`ask`]).
    Remote(PathBuf),
}

/// The error for a database still busy after `waited`.
fn busy_error(path: &Path, e: Error, waited: Duration) -> Error {
    let who = match holder(path) {
        Some(i) => format!("process {} holds it ({})", i.pid, i.doing),
        None => match e {
            Error::Open { reason, .. } => reason.replacen("it is in use by", "held by", 1),
            other => other.to_string(),
        },
    };
    Error::Open {
        path: path.to_path_buf(),
        reason: format!("it is busy: {who}; waited {:.1} s (--busy-timeout MS waits longer)", waited.as_secs_f64()),
    }
}

/// Opens the database at `path` for a command that reads: here when it is free, or through the
/// process that holds it. While it is held by a process that does not answer yet (it is opening
/// it, or closing it), waits up to `timeout`. A local engine is opened with [`Hold::Brief`]: the
/// commands that read run their statements, flush and exit.
pub fn open_reader(path: &Path, timeout: Duration) -> Result<Access> {
    let started = Instant::now();
    loop {
        if path.join(SOCKET).exists() && holder(path).is_some() {
            return Ok(Access::Remote(path.to_path_buf()));
        }
        match Engine::open_held(path, Hold::Brief) {
            Ok(e) => return Ok(Access::Local(e)),
            Err(e) if is_busy(&e) => {
                if holder(path).is_some() {
                    return Ok(Access::Remote(path.to_path_buf()));
                }
                if started.elapsed() >= timeout {
                    return Err(busy_error(path, e, started.elapsed()));
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(e) => return Err(e),
        }
    }
}

/// Opens the database at `path` for a command that writes: waits while another process holds
/// it, up to `timeout`, then fails naming the holder and what it is doing.
pub fn open_writer(path: &Path, timeout: Duration) -> Result<Engine> {
    let started = Instant::now();
    loop {
        match Engine::open(path) {
            Ok(e) => return Ok(e),
            Err(e) if is_busy(&e) => {
                if started.elapsed() >= timeout {
                    return Err(busy_error(path, e, started.elapsed()));
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_round_trip_and_bad_frames_are_refused() {
        let r = Request::Run {
            origin: "<query>".into(),
            text: "meetings count".into(),
            params: BTreeMap::from([("org".to_string(), "UN".to_string())]),
            format: "jsonl".into(),
            keep_going: false,
            width: None,
        };
        let body = serde_json::to_vec(&r).unwrap();
        let mut msg = (body.len() as u32).to_be_bytes().to_vec();
        msg.extend_from_slice(&body);
        assert_eq!(read_request(&mut msg.as_slice()).unwrap(), r);
        let huge = ((MAX_REQUEST + 1) as u32).to_be_bytes();
        assert!(read_request(&mut huge.as_slice()).unwrap_err().contains("at most"));
        let mut garbage = 5u32.to_be_bytes().to_vec();
        garbage.extend_from_slice(b"hello");
        assert!(read_request(&mut garbage.as_slice()).unwrap_err().starts_with("not a request"));
        let mut write = 20u32.to_be_bytes().to_vec();
        write.extend_from_slice(br#"{"op":"import","x":1}"#);
        assert!(read_request(&mut write.as_slice()).is_err());
        assert!(read_request(&mut [0u8, 0].as_slice()).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_server_answers_statements_and_says_who_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let engine = Engine::open(dir.path()).unwrap();
        let m: crate::Meeting = serde_json::from_str(r#"{"date": "2024-01-17", "orgs": ["OSCE"]}"#).unwrap();
        engine.insert(m).unwrap();
        let server = Server::start(&engine, "a test").unwrap();
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(server.socket()).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "owner only: {mode:o}");
        assert_eq!(holder(dir.path()).unwrap().doing, "a test");
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let req = Request::Run {
            origin: "<query>".into(),
            text: "meetings where org = $o count".into(),
            params: BTreeMap::from([("o".to_string(), "OSCE".to_string())]),
            format: "jsonl".into(),
            keep_going: false,
            width: None,
        };
        let end = ask(dir.path(), &req, &mut out, &mut err).unwrap().unwrap();
        assert_eq!((end.code, String::from_utf8(out).unwrap()), (0, "{\"count\":1}\n".to_string()));
        // A dot-command that writes a file is refused to another process.
        let req = Request::Run {
            origin: "<stdin>".into(),
            text: ".output /tmp/x\nmeetings count;\n".into(),
            params: BTreeMap::new(),
            format: "jsonl".into(),
            keep_going: false,
            width: None,
        };
        let end = ask(dir.path(), &req, &mut Vec::new(), &mut Vec::new()).unwrap().unwrap();
        assert_eq!(end.code, 1);
        assert!(end.error.unwrap().contains("not available"));
        drop(server);
        assert!(!dir.path().join(SOCKET).exists());
        assert!(ask(dir.path(), &Request::Info, &mut Vec::new(), &mut Vec::new()).unwrap().is_none());
    }
}
