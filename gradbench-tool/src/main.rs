//! `adiff-gradbench`: a GradBench tool whose derivatives come from the
//! `adiff` macros.
//!
//! It reads one JSON message per line on stdin and writes exactly one JSON
//! reply per line on stdout, flushed at once, until stdin ends
//! (`shared/gradbench/README.md` §1). Diagnostics go to stderr only.
//! Everything runs on one thread; `--multithreaded` is accepted and ignored.
#![forbid(unsafe_code)]

mod evals;
mod protocol;
mod timing;

use std::io::{self, BufRead, BufWriter, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use serde_json::Value;

use protocol::{Message, Reply};

fn main() {
    for arg in std::env::args().skip(1) {
        if arg != "--multithreaded" {
            eprintln!("adiff-gradbench: ignoring unknown argument `{arg}`");
        }
    }
    if let Err(e) = serve(io::stdin().lock(), io::stdout().lock()) {
        eprintln!("adiff-gradbench: {e}");
        std::process::exit(1);
    }
}

/// Answers every line of `input` on `output` until `input` ends.
fn serve(mut input: impl BufRead, output: impl Write) -> io::Result<()> {
    // Replies reach about 100 MB (the largest ht Jacobian); a large buffer
    // keeps the number of write calls down.
    let mut output = BufWriter::with_capacity(1 << 16, output);
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        if line.trim().is_empty() {
            continue;
        }
        let reply = respond(&line);
        serde_json::to_writer(&mut output, &reply)?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
}

/// The reply to one message line.
fn respond(line: &str) -> Reply {
    let message: Message = match serde_json::from_str(line) {
        Ok(message) => message,
        Err(e) => {
            eprintln!("adiff-gradbench: unreadable message: {e}");
            // Keep the lock-step going with whatever id can be salvaged.
            let id = serde_json::from_str::<Value>(line)
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(Value::Null);
            return Reply::failed(id, format!("unreadable message: {e}"));
        }
    };
    let Message {
        id,
        kind,
        module,
        function,
        input,
    } = message;
    match kind.as_str() {
        "start" => Reply::start(id),
        "define" => match module {
            Some(module) if evals::is_defined(&module) => Reply::defined(id),
            Some(module) => Reply::failed(id, format!("module `{module}` is not implemented")),
            None => Reply::failed(id, "define without a module".to_string()),
        },
        "evaluate" => {
            let (Some(module), Some(function), Some(input)) = (module, function, input) else {
                return Reply::failed(
                    id,
                    "evaluate needs `module`, `function` and `input`".to_string(),
                );
            };
            // A panic in one evaluate fails that message, not the session.
            match catch_unwind(AssertUnwindSafe(|| {
                evals::evaluate(&module, &function, &input)
            })) {
                Ok(Ok(done)) => Reply::evaluated(id, done.output, done.timings),
                Ok(Err(error)) => Reply::failed(id, error),
                Err(panic) => Reply::failed(id, format!("panicked: {}", panic_text(&*panic))),
            }
        }
        _ => Reply::ack(id),
    }
}

/// The message of a panic payload, when it is a string.
fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_string()
    }
}
