//! Shared by the integration tests: the tool as a subprocess driven the way
//! `gradbench run` drives it, the samples, and the eval's output check.

#![allow(dead_code)] // Each test crate uses a different part.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// The tool, running, with pipes on stdin and stdout (stderr is inherited,
/// as under the intermediary).
pub struct Tool {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    next_id: u64,
}

impl Tool {
    /// Starts the binary with `args`.
    pub fn start(args: &[&str]) -> Tool {
        let mut child = Command::new(env!("CARGO_BIN_EXE_adiff-gradbench"))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the tool starts");
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        Tool {
            child,
            stdin,
            stdout,
            next_id: 0,
        }
    }

    /// Writes one line and reads exactly one line back, as the intermediary
    /// does, and parses it.
    pub fn exchange(&mut self, line: &str) -> Value {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
        let mut reply = String::new();
        self.stdout.read_line(&mut reply).unwrap();
        assert!(reply.ends_with('\n'), "reply not a whole line: {reply:?}");
        serde_json::from_str(&reply).unwrap_or_else(|e| panic!("reply is not JSON ({e}): {reply}"))
    }

    /// Sends `message` with the next id (ids count up over all messages)
    /// and returns the reply, after checking that it echoes the id.
    pub fn send(&mut self, mut message: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        message["id"] = json!(id);
        let reply = self.exchange(&message.to_string());
        assert_eq!(reply["id"], json!(id), "reply to {message}: {reply}");
        reply
    }

    /// Closes stdin, waits (at most 20 s) for the tool to exit, checks that
    /// it wrote nothing more on stdout, and returns its status.
    pub fn finish(mut self) -> ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                self.child.kill().unwrap();
                panic!("the tool did not exit at the end of its input");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        assert!(rest.is_empty(), "unexpected output on stdout: {rest}");
        status
    }
}

/// The samples directory: `ADIFF_GRADBENCH_SAMPLES`, or
/// `shared/gradbench/samples` beside the workspace. `None` when absent.
pub fn samples_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("ADIFF_GRADBENCH_SAMPLES") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the crate sits in the workspace")
            .join("../shared/gradbench/samples"),
    };
    dir.is_dir().then_some(dir)
}

/// The mismatches between an output and the expected one under GradBench's
/// rule (`shared/gradbench/README.md` §1.5): identical key sets, identical
/// lengths, exactly equal integers, |a − b| / max(1, |a| + |b|) ≤ 1e-4 for
/// other numbers, and any other difference in type is a mismatch (so a
/// NaN, written as `null`, never matches).
pub fn mismatches(actual: &Value, expected: &Value) -> Vec<String> {
    let mut found = Vec::new();
    compare(actual, expected, "output", &mut found);
    found
}

fn compare(actual: &Value, expected: &Value, path: &str, found: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Number(a), Value::Number(b)) => {
            let exact_ints = (a.is_i64() || a.is_u64()) && (b.is_i64() || b.is_u64());
            if exact_ints {
                if a != b {
                    found.push(format!("{path}: {a} != {b}"));
                }
            } else {
                let (x, y) = (a.as_f64().unwrap(), b.as_f64().unwrap());
                if (x - y).abs() / (x.abs() + y.abs()).max(1.0) > 1e-4 {
                    found.push(format!("{path}: {x} != {y}"));
                }
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                found.push(format!("{path}: length {} != {}", a.len(), b.len()));
                return;
            }
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, &format!("{path}[{i}]"), found);
            }
        }
        (Value::Object(a), Value::Object(b)) => {
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                found.push(format!("{path}: key '{key}' is missing"));
            }
            for key in a.keys().filter(|k| !b.contains_key(*k)) {
                found.push(format!("{path}: extra key '{key}'"));
            }
            for (key, x) in a {
                if let Some(y) = b.get(key) {
                    compare(x, y, &format!("{path}.{key}"), found);
                }
            }
        }
        (a, b) if a == b && !a.is_null() => {}
        (a, b) => found.push(format!("{path}: {a} does not match {b}")),
    }
}
