//! Protocol details (`shared/gradbench/README.md` §1): replies to every
//! kind of message, failures that keep the session going, the repetition
//! rule, `--multithreaded`, and exit at the end of input.

mod common;

use serde_json::{json, Value};

use common::{mismatches, Tool};

#[test]
fn start_names_the_tool() {
    let mut tool = Tool::start(&[]);
    let reply = tool.send(json!({"kind": "start", "eval": "lse", "config": {"x": 1}}));
    assert!(reply["tool"].is_string(), "{reply}");
    assert!(reply.get("success").is_none());
    assert!(tool.finish().success());
}

#[test]
fn define_succeeds_exactly_for_the_implemented_modules() {
    let mut tool = Tool::start(&[]);
    tool.send(json!({"kind": "start"}));
    for module in [
        "hello", "llsq", "lse", "det", "ode", "gmm", "lstm", "ba", "ht", "kmeans", "particle",
        "saddle",
    ] {
        let reply = tool.send(json!({"kind": "define", "module": module}));
        assert_eq!(reply.as_object().unwrap().len(), 2, "{reply}");
        assert_eq!(reply["success"], json!(true), "{module}: {reply}");
    }
    for module in ["nonexistent", "Particle"] {
        let reply = tool.send(json!({"kind": "define", "module": module}));
        assert_eq!(reply["success"], json!(false), "{module}: {reply}");
        assert!(reply["error"].is_string(), "{reply}");
    }
    assert!(tool.finish().success());
}

#[test]
fn analysis_and_unknown_kinds_get_only_the_id() {
    let mut tool = Tool::start(&[]);
    tool.send(json!({"kind": "start"}));
    let analysis = tool.send(json!({"kind": "analysis", "of": 0, "valid": false, "error": "x"}));
    assert_eq!(analysis, json!({"id": 1}));
    let unknown = tool.send(json!({"kind": "something-new", "payload": [1, 2]}));
    assert_eq!(unknown, json!({"id": 2}));
    assert!(tool.finish().success());
}

#[test]
fn ids_are_echoed_unchanged() {
    let mut tool = Tool::start(&[]);
    assert_eq!(
        tool.exchange(r#"{"id": 41, "kind": "start"}"#)["id"],
        json!(41)
    );
    assert_eq!(
        tool.exchange(r#"{"id": 7, "kind": "analysis", "of": 3, "valid": true}"#),
        json!({"id": 7})
    );
    assert!(tool.finish().success());
}

#[test]
fn exits_at_the_end_of_input() {
    assert!(Tool::start(&[]).finish().success());
    let mut tool = Tool::start(&[]);
    tool.send(json!({"kind": "start"}));
    tool.send(json!({"kind": "define", "module": "lse"}));
    assert!(tool.finish().success());
}

/// The hello eval's session: outputs are fed back as the next inputs.
#[test]
fn hello_session_with_multithreaded_flag() {
    let mut tool = Tool::start(&["--multithreaded"]);
    tool.send(json!({"kind": "start", "eval": "hello"}));
    tool.send(json!({"kind": "define", "module": "hello"}));
    let mut x = json!(1.0);
    let mut outputs = Vec::new();
    for _ in 0..4 {
        for function in ["square", "double"] {
            let reply = tool.send(json!({
                "kind": "evaluate", "module": "hello", "function": function, "input": x
            }));
            assert_eq!(reply["success"], json!(true), "{reply}");
            assert_eq!(reply["timings"].as_array().unwrap().len(), 1);
            tool.send(json!({"kind": "analysis", "of": reply["id"], "valid": true}));
            x = reply["output"].clone();
            outputs.push(x.as_f64().unwrap());
        }
    }
    assert_eq!(outputs, [1.0, 2.0, 4.0, 8.0, 64.0, 128.0, 16384.0, 32768.0]);
    assert!(tool.finish().success());
}

#[test]
fn hello_accepts_integer_inputs() {
    let mut tool = Tool::start(&[]);
    let reply = tool.send(json!({
        "kind": "evaluate", "module": "hello", "function": "square", "input": 3
    }));
    assert_eq!(reply["output"].as_f64(), Some(9.0));
    assert!(tool.finish().success());
}

fn lse(min_runs: Value, min_seconds: Value) -> Value {
    json!({
        "kind": "evaluate", "module": "lse", "function": "gradient",
        "input": {"x": [0.5, 0.25, 1.0], "min_runs": min_runs, "min_seconds": min_seconds},
        "description": "n=3",
    })
}

#[test]
fn timings_follow_the_repetition_rule() {
    let mut tool = Tool::start(&[]);
    let reply = tool.send(lse(json!(3), json!(0)));
    assert_eq!(reply["success"], json!(true), "{reply}");
    let timings = reply["timings"].as_array().unwrap();
    assert_eq!(timings.len(), 3);
    for timing in timings {
        assert_eq!(timing.as_object().unwrap().len(), 2);
        assert_eq!(timing["name"], json!("evaluate"));
        assert!(timing["nanoseconds"].is_u64(), "{timing}");
    }

    // A float min_seconds: runs until their sum reaches it.
    let reply = tool.send(lse(json!(1), json!(0.02)));
    let total: u64 = reply["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["nanoseconds"].as_u64().unwrap())
        .sum();
    assert!(total >= 20_000_000, "{total} ns");

    // Without the fields: one run.
    let reply = tool.send(json!({
        "kind": "evaluate", "module": "lse", "function": "primal", "input": {"x": [0.0]}
    }));
    assert_eq!(reply["timings"].as_array().unwrap().len(), 1);
    assert_eq!(reply["output"].as_f64(), Some(0.0));
    assert!(tool.finish().success());
}

#[test]
fn failures_are_replies_and_the_session_goes_on() {
    let mut tool = Tool::start(&[]);
    tool.send(json!({"kind": "start"}));
    for message in [
        json!({"kind": "evaluate", "module": "lse", "function": "hessian", "input": {"x": [1.0]}}),
        json!({"kind": "evaluate", "module": "lse", "function": "primal", "input": {"x": "text"}}),
        json!({"kind": "evaluate", "module": "kmeans", "function": "cost", "input": {}}),
        json!({"kind": "evaluate", "module": "kmeans", "function": "dir", "input": {"points": [[1.0, 2.0]], "centroids": [[1.0]]}}),
        json!({"kind": "evaluate", "module": "det", "function": "primal", "input": {"A": [1.0, 2.0], "ell": 2}}),
        json!({"kind": "evaluate", "module": "lse", "function": "primal"}),
    ] {
        let reply = tool.send(message.clone());
        assert_eq!(reply["success"], json!(false), "{message}: {reply}");
        assert!(reply["error"].is_string(), "{reply}");
        assert!(reply.get("output").is_none());
    }
    let reply = tool.send(lse(json!(1), json!(0)));
    assert_eq!(reply["success"], json!(true), "{reply}");
    assert!(tool.finish().success());
}

#[test]
fn check_rule_follows_the_readme() {
    assert!(mismatches(&json!({"a": [1.0, 2]}), &json!({"a": [1.00001, 2]})).is_empty());
    assert!(mismatches(&json!(0.00005), &json!(0)).is_empty());
    assert!(mismatches(&json!(1000.0), &json!(1000.1)).is_empty());
    assert_eq!(mismatches(&json!(1000.0), &json!(1001.0)).len(), 1);
    assert_eq!(mismatches(&json!(2), &json!(3)).len(), 1);
    assert_eq!(mismatches(&json!(null), &json!(0.0)).len(), 1);
    assert_eq!(mismatches(&json!([1.0]), &json!([1.0, 2.0])).len(), 1);
    assert_eq!(mismatches(&json!({"a": 1}), &json!({"b": 1})).len(), 2);
    assert_eq!(mismatches(&json!([1.0]), &json!(1.0)).len(), 1);
}
