//! The GradBench messages the tool reads and the replies it writes
//! (`shared/gradbench/README.md` §1.2).

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

/// The name reported to the eval in the reply to `start`.
pub const TOOL_NAME: &str = "adiff";

/// One message from the eval. Fields that a kind does not use are absent.
#[derive(Debug, Deserialize)]
pub struct Message {
    /// Echoed unchanged in the reply; the eval aborts on a mismatch.
    pub id: Value,
    /// `start`, `define`, `evaluate`, `analysis`, or anything else.
    #[serde(default)]
    pub kind: String,
    /// The eval's module, in `define` and `evaluate`.
    #[serde(default)]
    pub module: Option<String>,
    /// The function to evaluate, in `evaluate`.
    #[serde(default)]
    pub function: Option<String>,
    /// The evaluate input, kept as text so that each eval parses it straight
    /// into its own typed input (inputs reach tens of MB).
    #[serde(default)]
    pub input: Option<Box<RawValue>>,
}

/// One timed run, serialised as `{"name": ..., "nanoseconds": ...}`.
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// `"evaluate"` for the scored runs.
    pub name: &'static str,
    /// Wall-clock duration of the run; the intermediary accepts integers only.
    pub nanoseconds: u64,
}

/// A reply line. Absent fields are left out of the JSON, because the
/// intermediary rejects some combinations (an `error` with `success: true`).
#[derive(Debug, Serialize)]
pub struct Reply {
    /// The id of the message being answered.
    pub id: Value,
    /// The tool's name, in the reply to `start`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tool: Option<&'static str>,
    /// Present in replies to `define` and `evaluate`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub success: Option<bool>,
    /// The evaluate result, already serialised by the eval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Box<RawValue>>,
    /// One entry per run of a successful evaluate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timings: Option<Vec<Timing>>,
    /// Why a `define` or `evaluate` failed; only allowed with `success: false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Reply {
    /// `{"id": id}`: the reply to `analysis` and to kinds the tool does not know.
    pub fn ack(id: Value) -> Reply {
        Reply {
            id,
            tool: None,
            success: None,
            output: None,
            timings: None,
            error: None,
        }
    }

    /// The reply to `start`.
    pub fn start(id: Value) -> Reply {
        Reply {
            tool: Some(TOOL_NAME),
            ..Reply::ack(id)
        }
    }

    /// `{"id": id, "success": true}`.
    pub fn defined(id: Value) -> Reply {
        Reply {
            success: Some(true),
            ..Reply::ack(id)
        }
    }

    /// `{"id": id, "success": false, "error": error}`.
    pub fn failed(id: Value, error: String) -> Reply {
        Reply {
            success: Some(false),
            error: Some(error),
            ..Reply::ack(id)
        }
    }

    /// A successful evaluate: its output and the timing of every run.
    pub fn evaluated(id: Value, output: Box<RawValue>, timings: Vec<Timing>) -> Reply {
        Reply {
            success: Some(true),
            output: Some(output),
            timings: Some(timings),
            ..Reply::ack(id)
        }
    }
}
