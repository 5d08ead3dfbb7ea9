//! Replays every sample of the implemented evals through the binary, the
//! way the harness does (start, define, then evaluate and analysis per
//! function, ids counting up), and checks each output against the
//! sample's reference output with GradBench's rule.
//!
//! The samples live in `shared/gradbench/samples` beside the workspace (or
//! in `ADIFF_GRADBENCH_SAMPLES`); without them the tests say so and pass.

mod common;

use std::fs;

use serde_json::{json, Value};

use common::{mismatches, samples_dir, Tool};

/// Primal functions come first in a session, as the evals send them.
const PRIMALS: &[&str] = &["square", "primal", "objective", "cost"];

/// Replays every `<eval>_*.json` sample in one session.
fn replay(eval: &str, expected_functions: usize) {
    let Some(dir) = samples_dir() else {
        eprintln!("GradBench samples not found (set ADIFF_GRADBENCH_SAMPLES); {eval} skipped");
        return;
    };
    let mut samples: Vec<Value> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("{eval}_")) && name.ends_with(".json")
        })
        .map(|path| serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap())
        .collect();
    assert_eq!(
        samples.len(),
        expected_functions,
        "samples of {eval} in {}",
        dir.display()
    );
    samples.sort_by_key(|s| !PRIMALS.contains(&s["function"].as_str().unwrap()));

    let mut tool = Tool::start(&[]);
    tool.send(json!({"kind": "start", "eval": eval}));
    let defined = tool.send(json!({"kind": "define", "module": eval}));
    assert_eq!(defined["success"], json!(true), "define {eval}: {defined}");
    for sample in &samples {
        let function = sample["function"].as_str().unwrap();
        let mut input = sample["input"].clone();
        // One run keeps the tests fast whatever the sample asks for.
        if let Value::Object(fields) = &mut input {
            fields.insert("min_runs".into(), json!(1));
            fields.insert("min_seconds".into(), json!(0));
        }
        let reply = tool.send(json!({
            "kind": "evaluate",
            "module": sample["module"],
            "function": function,
            "input": input,
            "description": sample["description"],
        }));
        assert_eq!(
            reply["success"],
            json!(true),
            "{eval} {function} failed: {}",
            reply["error"]
        );
        assert!(reply.get("error").is_none());
        let timings = reply["timings"].as_array().expect("timings");
        assert_eq!(timings.len(), 1, "{eval} {function}: one run asked for");
        let problems = mismatches(&reply["output"], &sample["expected_output"]);
        assert!(
            problems.is_empty(),
            "{eval} {function}: {} mismatches, first: {:?}",
            problems.len(),
            &problems[..problems.len().min(10)]
        );
        let of = reply["id"].clone();
        let ack = tool.send(json!({"kind": "analysis", "of": of, "valid": true}));
        assert_eq!(ack.as_object().unwrap().len(), 1, "analysis reply: {ack}");
    }
    assert!(tool.finish().success());
}

#[test]
fn hello() {
    replay("hello", 2);
}

#[test]
fn llsq() {
    replay("llsq", 2);
}

#[test]
fn lse() {
    replay("lse", 2);
}

#[test]
fn det() {
    replay("det", 2);
}

#[test]
fn ode() {
    replay("ode", 2);
}

#[test]
fn gmm() {
    replay("gmm", 2);
}

#[test]
fn lstm() {
    replay("lstm", 2);
}

#[test]
fn ba() {
    replay("ba", 2);
}

#[test]
fn ht() {
    replay("ht", 2);
}

#[test]
fn kmeans() {
    replay("kmeans", 2);
}

#[test]
fn particle() {
    replay("particle", 4);
}

#[test]
fn saddle() {
    replay("saddle", 4);
}
