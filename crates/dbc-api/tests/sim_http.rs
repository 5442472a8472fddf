//! The dbc-api client through real HTTP against an in-process `dbc-sim` (SPEC §2–§5):
//! every typed call's success path, every auth failure, state / not-found / gateway errors and
//! every injected fault kind, sorted into the right [`Error`] variant.

use std::sync::Arc;
use std::time::{Duration, Instant};

use dbc_api::auth::Auth;
use dbc_api::client::parse_envelope;
use dbc_api::error::{AuthReason, TimeoutOrigin};
use dbc_api::keys::Wallet;
use dbc_api::models::{TaskDetail, TaskStatus};
use dbc_api::request::{self, CreateTask, LogEnd, ModifyTask, TaskAction};
use dbc_api::{Client, ClientConfig, Error, Machine};
use dbc_sim::config::{
    DELEGATE_SEED_HEX, DEMO_MACHINE_ALPHA, DEMO_MACHINE_BETA, DEMO_MACHINE_GAMMA,
    DEMO_MACHINE_IDLE, DEMO_MACHINE_OFFLINE,
};
use dbc_sim::{
    Control, Fault, FaultKind, SimConfig, SimServer, DEMO_SEED_HEX, DEMO_SESSION_ID,
    DEMO_SESSION_SIGN, DEMO_WALLET,
};
use serde_json::{json, Value};

const SERVER1: &str = "dbc-image-center-1";
const PREEXISTING: &str = "DemoVmAlpha0000000001";

struct Env {
    _server: SimServer,
    url: String,
    ctl: Control,
    client: Client,
    wallet: Arc<Wallet>,
    auth: Auth,
    alpha: Machine,
    beta: Machine,
}

impl Env {
    async fn start() -> Env {
        Env::start_at(1000.0).await
    }

    /// A simulator at `speed` (steps take `secs / speed`; polls also advance the clock).
    async fn start_at(speed: f64) -> Env {
        let server = SimServer::start(
            SimConfig::demo().with_speed(speed),
            "127.0.0.1:0".parse().unwrap(),
        )
        .await
        .expect("start simulator");
        let url = server.base_url();
        let wallet = Arc::new(Wallet::from_hex_seed(DEMO_SEED_HEX).unwrap());
        assert_eq!(wallet.address(), DEMO_WALLET);
        Env {
            ctl: server.control(),
            client: Client::connect(&url).unwrap(),
            auth: Auth::Wallet(wallet.clone()),
            wallet,
            alpha: Machine::new(DEMO_MACHINE_ALPHA, Some("1001".into())),
            beta: Machine::new(DEMO_MACHINE_BETA, Some("1002".into())),
            url,
            _server: server,
        }
    }

    fn used_nonces(&self, node: &str) -> usize {
        self.ctl.machine(node).unwrap().used_nonces
    }

    /// Poll `task_detail` (advancing the simulated clock a little each round) until `want`.
    async fn wait_status(&self, m: &Machine, id: &str, want: &str) -> TaskDetail {
        let mut last = String::new();
        for _ in 0..300 {
            let d = self
                .client
                .call(request::task_detail(m, id), &self.auth)
                .await
                .unwrap();
            if d.status.as_str() == want {
                return d;
            }
            last = d.status.as_str().to_string();
            self.ctl.advance_clock(Duration::from_millis(500));
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        panic!("task {id} never reached {want:?} (last {last:?})");
    }

    /// Create a small Linux VM on beta and wait until it runs.
    async fn running_vm(&self, desc: &str) -> String {
        let t = self
            .client
            .call(
                request::create_task(&self.beta, &linux_vm(desc)),
                &self.auth,
            )
            .await
            .unwrap();
        assert_eq!(t.status, TaskStatus::Creating);
        self.wait_status(&self.beta, &t.task_id, "running").await;
        t.task_id
    }

    /// POST a hand-built body and sort the reply as the client would.
    async fn post_raw(&self, path: &str, body: &Value, mutating: bool) -> Result<Value, Error> {
        dbc_api::tls::install_provider();
        let resp = reqwest::Client::new()
            .post(format!("{}/api/v1/{path}", self.url))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let bytes = resp.bytes().await.unwrap();
        parse_envelope(status, &bytes, mutating, body.get("rent_order").is_some())
    }
}

fn linux_vm(desc: &str) -> CreateTask {
    CreateTask {
        gpu_count: "2".into(),
        desc: desc.into(),
        image_name: "ubuntu-22.04.qcow2".into(),
        ssh_port: "20122".into(),
        vnc_port: "5911".into(),
        cpu_cores: "4".into(),
        mem_size: "16".into(),
        disk_size: "100".into(),
        ..Default::default()
    }
}

fn reply_of(e: &Error) -> (u16, i32, String) {
    let r = e
        .reply()
        .unwrap_or_else(|| panic!("no reply kept in {e:?}"));
    (r.status, r.errcode, r.message.clone())
}

#[track_caller]
fn assert_auth(e: Error, want: AuthReason) -> (bool, String) {
    match e {
        Error::Auth {
            reason,
            reply,
            rent_order_sent,
        } => {
            assert_eq!(reason, want, "{}", reply.message);
            assert_eq!((reply.status, reply.errcode), (200, -3));
            assert!(reply.message.starts_with("check authority failed"));
            (rent_order_sent, reply.message)
        }
        other => panic!("expected Auth {want:?}, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Success paths

#[tokio::test]
async fn gateway_and_machine_reads() {
    let e = Env::start().await;
    let c = &e.client;
    let v = c.call(request::version(), &Auth::None).await.unwrap();
    assert!(!v.client_version.is_empty());
    let ml = c.call(request::machine_list(), &Auth::None).await.unwrap();
    assert!(ml
        .mining_nodes
        .iter()
        .any(|m| m.node_id == DEMO_MACHINE_ALPHA));

    let info = c
        .call(request::machine_info(&e.alpha, None), &Auth::None)
        .await
        .unwrap();
    assert_eq!(info.gpu.gpu_count, 8);
    assert_eq!(info.cpu.cores, 64);
    assert!(info
        .images
        .iter()
        .any(|i| i.image_name == "windows-server-2022.qcow2"));

    let ro = c
        .call(request::rent_orders(&e.alpha, None), &Auth::None)
        .await
        .unwrap();
    assert!(ro
        .rent_orders
        .iter()
        .any(|o| o.id == "1001" && o.renter == DEMO_WALLET));
    let one = c
        .call(request::rent_orders(&e.alpha, Some("1001")), &Auth::None)
        .await
        .unwrap();
    assert_eq!(one.rent_orders.len(), 1);
    assert_eq!(one.rent_orders[0].gpu_index, (0..8).collect::<Vec<_>>());

    let servers = c.call(request::image_servers(), &Auth::None).await.unwrap();
    assert!(servers.image_server.iter().any(|s| s == SERVER1));
    let on_server = c
        .call(request::images_on_server(SERVER1), &Auth::None)
        .await
        .unwrap();
    assert!(on_server
        .iter()
        .any(|i| i.image_name == "pytorch-2.3-cuda12.qcow2"));

    // The node answers with the key "image_name:" (quirk on by default): it must decode.
    let on_node = c
        .call(request::images_on_node(&e.beta, None, false), &Auth::None)
        .await
        .unwrap();
    assert!(on_node.len() >= 2, "{on_node:?}");
    assert!(
        on_node.iter().all(|i| !i.image_name.is_empty()),
        "{on_node:?}"
    );
    assert!(
        on_node.iter().all(|i| !i.image_size.is_empty()),
        "{on_node:?}"
    );
    assert!(on_node.iter().any(|i| i.image_name == "ubuntu-22.04.qcow2"));
    // overlays are listed when the image server holds them too
    let with_server = c
        .call(
            request::images_on_node(&e.beta, Some(SERVER1), true),
            &e.auth,
        )
        .await
        .unwrap();
    assert!(
        with_server
            .iter()
            .any(|i| i.image_name == "cuda-12.4-ubuntu.qcow2"),
        "{with_server:?}"
    );
}

#[tokio::test]
async fn session_mode() {
    let e = Env::start().await;
    let c = &e.client;
    let sid = c
        .call(request::session_id(&e.alpha), &e.auth)
        .await
        .unwrap()
        .session_id;
    assert_eq!(sid, DEMO_SESSION_ID);
    let session = Auth::session_from_wallet(&sid, &e.wallet);
    let tasks = c
        .call(request::task_list(&e.alpha), &session)
        .await
        .unwrap();
    assert!(tasks.iter().any(|t| t.task_id == PREEXISTING));
    // The published pair works without any key (a delegate).
    let published = Auth::Session {
        session_id: DEMO_SESSION_ID.into(),
        session_id_sign: DEMO_SESSION_SIGN.into(),
    };
    let d = c
        .call(request::task_detail(&e.alpha, PREEXISTING), &published)
        .await
        .unwrap();
    assert_eq!(d.status, TaskStatus::Running);
    // A session cannot fetch a session id: refused before sending.
    assert!(matches!(
        c.call(request::session_id(&e.alpha), &published).await,
        Err(Error::Validation(_))
    ));
    // beta: a fresh session is generated for the renter
    let sid_b = c
        .call(request::session_id(&e.beta), &e.auth)
        .await
        .unwrap()
        .session_id;
    assert!(!sid_b.is_empty());
    assert_eq!(
        e.ctl.session_id(DEMO_MACHINE_BETA, DEMO_WALLET).as_deref(),
        Some(sid_b.as_str())
    );
    let list = c
        .call(
            request::task_list(&e.beta),
            &Auth::session_from_wallet(&sid_b, &e.wallet),
        )
        .await
        .unwrap();
    assert!(list.is_empty());
}

#[tokio::test]
async fn vm_life_through_every_task_call() {
    let e = Env::start().await;
    let (c, a, m) = (&e.client, &e.auth, &e.beta);
    let id = e.running_vm("sim http vm").await;

    let list = c.call(request::task_list(m), a).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].task_id, id);
    assert_eq!(list[0].desc, "sim http vm");
    let d = c.call(request::task_detail(m, &id), a).await.unwrap();
    assert_eq!(d.task_id, id);
    assert_eq!(d.ssh_port.as_deref(), Some("20122"));
    assert_eq!(d.rent_order.as_deref(), Some("1002"));
    assert_eq!(d.cpu_cores, 4);

    // state errors on a running VM
    let err = c
        .call(request::task_action(m, TaskAction::Start, &id), a)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WrongState(_)), "{err:?}");
    assert_eq!(reply_of(&err), (200, 1, "task is running".into()));
    let err = c
        .call(request::disk_add(m, &id, "20", "/data"), a)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WrongState(_)), "{err:?}");
    assert_eq!(reply_of(&err).2, "please close task first and try again");
    let err = c
        .call(
            request::snapshot_create(m, &id, "snap1", "first", SERVER1),
            a,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WrongState(_)), "{err:?}");
    assert_eq!(reply_of(&err).2, "please close task first and try again");

    // logs
    for end in [LogEnd::Head, LogEnd::Tail] {
        let logs = c
            .call(request::task_logs(m, &id, end, 10), a)
            .await
            .unwrap();
        assert!(!logs.log_content.is_empty(), "{end:?}");
        assert!(logs.log_content.len() <= 10);
    }

    // password, restart soft and forced, reset
    c.call(request::task_passwd(m, &id, "dbc", "N3w-passw0rd"), a)
        .await
        .unwrap();
    c.call(request::task_restart(m, &id, false), a)
        .await
        .unwrap();
    e.wait_status(m, &id, "running").await;
    c.call(request::task_restart(m, &id, true), a)
        .await
        .unwrap();
    e.wait_status(m, &id, "running").await;
    c.call(request::task_action(m, TaskAction::Reset, &id), a)
        .await
        .unwrap();
    e.wait_status(m, &id, "running").await;

    // shutdown → closed
    assert_eq!(
        c.call(request::task_action(m, TaskAction::Shutdown, &id), a)
            .await
            .unwrap(),
        "ok"
    );
    e.wait_status(m, &id, "closed").await;

    // modify while closed
    let msg = c
        .call(
            request::task_modify(
                m,
                &id,
                &ModifyTask {
                    new_ssh_port: "20155".into(),
                    ..Default::default()
                },
            ),
            a,
        )
        .await
        .unwrap();
    assert!(!msg.is_empty());
    assert_eq!(
        c.call(request::task_detail(m, &id), a)
            .await
            .unwrap()
            .ssh_port
            .as_deref(),
        Some("20155")
    );

    // disks
    let disks = c.call(request::disk_list(m, &id), a).await.unwrap();
    assert!(disks.iter().any(|d| d.name == "vdb"), "{disks:?}");
    let before = disks.len();
    c.call(request::disk_add(m, &id, "20", "/data"), a)
        .await
        .unwrap();
    let mut added = None;
    for _ in 0..200 {
        e.ctl.advance_clock(Duration::from_millis(500));
        let now = c.call(request::disk_list(m, &id), a).await.unwrap();
        if now.len() > before {
            added = now.into_iter().map(|d| d.name).max();
            break;
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let added = added.expect("disk added");
    e.wait_status(m, &id, "closed").await;
    c.call(request::disk_resize(m, &id, "vdb", "10"), a)
        .await
        .unwrap();
    let mut vdb_size = String::new();
    for _ in 0..200 {
        vdb_size = c
            .call(request::disk_list(m, &id), a)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.name == "vdb")
            .unwrap()
            .size;
        if vdb_size == "110G" {
            break;
        }
        e.ctl.advance_clock(Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(vdb_size, "110G");
    e.wait_status(m, &id, "closed").await;
    c.call(request::disk_delete(m, &id, &added), a)
        .await
        .unwrap();
    e.wait_status(m, &id, "closed").await;
    for _ in 0..200 {
        if c.call(request::disk_list(m, &id), a).await.unwrap().len() == before {
            break;
        }
        e.ctl.advance_clock(Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert_eq!(
        c.call(request::disk_list(m, &id), a).await.unwrap().len(),
        before
    );

    // snapshots
    c.call(
        request::snapshot_create(m, &id, "snap1", "first snapshot", SERVER1),
        a,
    )
    .await
    .unwrap();
    let mut done = false;
    for _ in 0..300 {
        let list = c.call(request::snapshot_list(m, &id), a).await.unwrap();
        let s = list.iter().find(|s| s.snapshot_name == "snap1").unwrap();
        if s.status == "none" {
            done = true;
            break;
        }
        e.ctl.advance_clock(Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(done, "snapshot never finished");
    let s = c
        .call(request::snapshot_detail(m, &id, "snap1"), a)
        .await
        .unwrap();
    assert_eq!(s.snapshot_name, "snap1");
    assert_eq!(s.description, "first snapshot");
    e.wait_status(m, &id, "closed").await;
    c.call(request::snapshot_delete(m, &id, "snap1"), a)
        .await
        .unwrap();
    let err = c
        .call(request::snapshot_detail(m, &id, "snap1"), a)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");

    // start, poweroff, start again, delete
    c.call(request::task_action(m, TaskAction::Start, &id), a)
        .await
        .unwrap();
    e.wait_status(m, &id, "running").await;
    c.call(request::task_action(m, TaskAction::Poweroff, &id), a)
        .await
        .unwrap();
    e.wait_status(m, &id, "closed").await;
    c.call(request::task_action(m, TaskAction::Delete, &id), a)
        .await
        .unwrap();
    let mut gone = None;
    for _ in 0..300 {
        match c.call(request::task_detail(m, &id), a).await {
            Ok(_) => {
                e.ctl.advance_clock(Duration::from_millis(500));
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
            Err(err) => {
                gone = Some(err);
                break;
            }
        }
    }
    let err = gone.expect("task deleted");
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(err.code().as_str(), "not_found");
    assert!(c.call(request::task_list(m), a).await.unwrap().is_empty());
}

#[tokio::test]
async fn images_and_lans() {
    // slower steps, so "in progress" is observable even on a loaded machine
    let e = Env::start_at(20.0).await;
    let (c, a, m) = (&e.client, &e.auth, &e.alpha);
    let file = "pytorch-2.3-cuda12.qcow2";

    // download + progress until done
    assert!(!c
        .call(request::images_on_node(m, None, false), &Auth::None)
        .await
        .unwrap()
        .iter()
        .any(|i| i.image_name == file));
    c.call(request::image_download(m, SERVER1, file, "/data"), a)
        .await
        .unwrap();
    let p = c
        .call(request::image_download_progress(m, file), a)
        .await
        .unwrap();
    assert_eq!(p.status, "downloading", "{p:?}");
    let mut done = false;
    for _ in 0..300 {
        let p = c
            .call(request::image_download_progress(m, file), a)
            .await
            .unwrap();
        if p.is_done() {
            assert_eq!(p.percent(), Some(100.0));
            done = true;
            break;
        }
        e.ctl.advance_clock(Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(done, "download never finished");
    assert!(c
        .call(request::images_on_node(m, None, false), &Auth::None)
        .await
        .unwrap()
        .iter()
        .any(|i| i.image_name == file));

    // download stop
    let other = "stable-diffusion-webui.qcow2";
    c.call(
        request::image_download(m, "dbc-image-center-2", other, "/data"),
        a,
    )
    .await
    .unwrap();
    // while it runs a second start is refused…
    let err = c
        .call(
            request::image_download(m, "dbc-image-center-2", other, "/data"),
            a,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WrongState(_)), "{err:?}");
    c.call(request::image_download_stop(m, other), a)
        .await
        .unwrap();
    // …and after the stop it is accepted again (the stop really stopped it)
    c.call(
        request::image_download(m, "dbc-image-center-2", other, "/data"),
        a,
    )
    .await
    .unwrap();
    c.call(request::image_download_stop(m, other), a)
        .await
        .unwrap();

    // upload via the node; progress is asked under /data/<name> (the upload-progress quirk:
    // a bare name would report done at once)
    let up = "cuda-12.4-ubuntu.qcow2";
    c.call(request::image_upload(Some(m), up, "dbc-image-center-2"), a)
        .await
        .unwrap();
    let p = c
        .call(request::image_upload_progress(Some(m), up), a)
        .await
        .unwrap();
    assert_eq!(p.status, "uploading", "{p:?}");
    let mut done = false;
    for _ in 0..300 {
        let p = c
            .call(request::image_upload_progress(Some(m), up), a)
            .await
            .unwrap();
        if p.is_done() {
            done = true;
            break;
        }
        e.ctl.advance_clock(Duration::from_millis(500));
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    assert!(done, "upload never finished");
    // upload stop
    c.call(
        request::image_upload(Some(m), "windows-server-2022.qcow2", SERVER1),
        a,
    )
    .await
    .unwrap();
    let err = c
        .call(
            request::image_upload(Some(m), "windows-server-2022.qcow2", SERVER1),
            a,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::WrongState(_)), "{err:?}");
    c.call(
        request::image_upload_stop(Some(m), "windows-server-2022.qcow2"),
        a,
    )
    .await
    .unwrap();
    // stopped under the tracked name: a new upload is accepted
    c.call(
        request::image_upload(Some(m), "windows-server-2022.qcow2", SERVER1),
        a,
    )
    .await
    .unwrap();
    c.call(
        request::image_upload_stop(Some(m), "windows-server-2022.qcow2"),
        a,
    )
    .await
    .unwrap();

    // delete the downloaded image
    c.call(request::image_delete(m, file), a).await.unwrap();
    assert!(!c
        .call(request::images_on_node(m, None, false), &Auth::None)
        .await
        .unwrap()
        .iter()
        .any(|i| i.image_name == file));

    // LANs
    c.call(request::lan_create(m, "simlan1", "10.20.0.0/24"), a)
        .await
        .unwrap();
    let lans = c.call(request::lan_list(Some(m)), a).await.unwrap();
    assert!(
        lans.0.iter().any(|l| l.network_name == "simlan1"),
        "{lans:?}"
    );
    let l = c
        .call(request::lan_detail(Some(m), "simlan1"), a)
        .await
        .unwrap();
    assert_eq!(l.network_name, "simlan1");
    assert_eq!(l.ip_cidr, "10.20.0.0/24");
    c.call(request::lan_delete(m, "simlan1"), a).await.unwrap();
    let err = c
        .call(request::lan_detail(Some(m), "simlan1"), a)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// Errors from the node and its gateway

#[tokio::test]
async fn auth_failures() {
    let e = Env::start().await;
    let c = &e.client;

    // bad signature: a signature of some other text
    let mut body = request::task_list(&e.alpha).unwrap().body(&e.auth).unwrap();
    body["sign"] = e.wallet.sign_hex(b"not the nonce").into();
    let err = e.post_raw("tasks", &body, false).await.unwrap_err();
    assert_auth(err, AuthReason::NonceCheckFailed);

    // replayed nonce: the same signed body twice
    let body = request::task_list(&e.alpha).unwrap().body(&e.auth).unwrap();
    e.post_raw("tasks", &body, false).await.unwrap();
    let err = e.post_raw("tasks", &body, false).await.unwrap_err();
    assert_auth(err, AuthReason::NonceCheckFailed);

    // a wallet that does not rent the machine, with and without a rent order
    let delegate = Auth::Wallet(Arc::new(Wallet::from_hex_seed(DELEGATE_SEED_HEX).unwrap()));
    let err = c
        .call(request::task_list(&e.alpha), &delegate)
        .await
        .unwrap_err();
    let (sent, _) = assert_auth(err, AuthReason::WalletNotRented);
    assert!(sent);
    let no_order = Machine::new(DEMO_MACHINE_ALPHA, None);
    let err = c
        .call(request::task_list(&no_order), &delegate)
        .await
        .unwrap_err();
    let (sent, _) = assert_auth(err.clone(), AuthReason::WalletNotRented);
    assert!(!sent);
    assert!(err.explain().hint.unwrap().contains("rent order id"));

    // invalid session
    let bad_session = Auth::Session {
        session_id: DEMO_SESSION_ID.into(),
        session_id_sign: e.wallet.sign_hex(b"something else"),
    };
    let err = c
        .call(request::task_list(&e.alpha), &bad_session)
        .await
        .unwrap_err();
    assert_auth(err, AuthReason::SessionInvalid);

    // machine not rented
    let idle = Machine::new(DEMO_MACHINE_IDLE, Some("1001".into()));
    let err = c
        .call(request::task_list(&idle), &e.auth)
        .await
        .unwrap_err();
    assert_auth(err, AuthReason::MachineNotRented);

    // expired order: gamma's order ends after 2 h of chain time. A valid session then gives
    // `machine has already expired`; the wallet itself is simply no longer the renter.
    let gamma = Machine::new(DEMO_MACHINE_GAMMA, Some("1003".into()));
    c.call(request::task_list(&gamma), &e.auth).await.unwrap();
    let sid = c
        .call(request::session_id(&gamma), &e.auth)
        .await
        .unwrap()
        .session_id;
    let session = Auth::session_from_wallet(&sid, &e.wallet);
    c.call(request::task_list(&gamma), &session).await.unwrap();
    e.ctl.advance_clock(Duration::from_secs(3 * 3600));
    let err = c
        .call(request::task_list(&gamma), &session)
        .await
        .unwrap_err();
    assert_auth(err, AuthReason::Expired);
    let err = c
        .call(request::task_list(&gamma), &e.auth)
        .await
        .unwrap_err();
    assert_auth(err, AuthReason::WalletNotRented);
}

#[tokio::test]
async fn not_found_gateway_and_node_validation() {
    let e = Env::start().await;
    let c = &e.client;
    // unknown task
    let err = c
        .call(
            request::task_detail(&e.alpha, "NoSuchTask00000000001"),
            &e.auth,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");
    assert_eq!(reply_of(&err), (200, -3, "task_id not exist".into()));
    let err = c
        .call(
            request::task_action(&e.alpha, TaskAction::Shutdown, "NoSuchTask00000000001"),
            &e.auth,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)), "{err:?}");

    // offline and unknown machines: the gateway cannot reach them
    let offline = Machine::new(DEMO_MACHINE_OFFLINE, Some("1005".into()));
    let unknown = Machine::new("ab".repeat(32), Some("1001".into()));
    for m in [&offline, &unknown] {
        let err = c.call(request::task_list(m), &e.auth).await.unwrap_err();
        assert!(matches!(err, Error::Gateway(_)), "{err:?}");
        assert_eq!(
            reply_of(&err),
            (400, -32701, "create node request failed".into())
        );
        let err = c
            .call(request::machine_info(m, None), &Auth::None)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Gateway(_)), "{err:?}");
        assert_eq!(err.explain().title, "Machine unreachable");
    }

    // unknown image server: gateway-side
    let err = c
        .call(request::images_on_server("no-such-server"), &Auth::None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Gateway(_)), "{err:?}");

    // an image the node does not hold: the client cannot know, the node says so
    let mut t = linux_vm("x");
    t.image_name = "not-on-this-node.qcow2".into();
    let err = c
        .call(request::create_task(&e.beta, &t), &e.auth)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::NotFound(_) | Error::Rejected(_)),
        "{err:?}"
    );
    let (st, code, msg) = reply_of(&err);
    assert_eq!((st, code), (200, 1), "{msg}");
    assert!(
        msg.contains("not-on-this-node.qcow2") && msg.contains("not exist"),
        "{msg}"
    );
    // node resources: more GPUs than the order holds
    let mut t = linux_vm("x");
    t.gpu_count = "3".into();
    let err = c
        .call(request::create_task(&e.beta, &t), &e.auth)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Rejected(_)), "{err:?}");
    assert!(c
        .call(request::task_list(&e.beta), &e.auth)
        .await
        .unwrap()
        .is_empty());

    // client-side validation: nothing sent
    let n = e.used_nonces(DEMO_MACHINE_BETA);
    let mut t = linux_vm("x");
    t.vnc_port = "80".into();
    let err = c
        .call(request::create_task(&e.beta, &t), &e.auth)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert_eq!(e.used_nonces(DEMO_MACHINE_BETA), n);
}

#[tokio::test]
async fn create_error_end_state() {
    let e = Env::start().await;
    e.ctl.fail_next("create");
    let t = e
        .client
        .call(request::create_task(&e.beta, &linux_vm("doomed")), &e.auth)
        .await
        .unwrap();
    let d = e.wait_status(&e.beta, &t.task_id, "create error").await;
    assert_eq!(d.status, TaskStatus::CreateError);
}

// ---------------------------------------------------------------------------------------------
// Injected faults

#[tokio::test]
async fn gateway_timeout_and_http500() {
    let e = Env::start().await;
    let (c, a) = (&e.client, &e.auth);
    e.ctl
        .add_fault(Fault::on("tasks/shutdown", FaultKind::Timeout).times(1));
    let err = c
        .call(
            request::task_action(&e.alpha, TaskAction::Shutdown, PREEXISTING),
            a,
        )
        .await
        .unwrap_err();
    match &err {
        Error::Timeout {
            origin: TimeoutOrigin::Gateway,
            message,
            reply: Some(r),
        } => {
            assert_eq!(message, "shutdown task timeout");
            assert_eq!((r.status, r.errcode), (500, -1));
        }
        other => panic!("{other:?}"),
    }
    // the action was not performed
    assert_eq!(
        c.call(request::task_detail(&e.alpha, PREEXISTING), a)
            .await
            .unwrap()
            .status,
        TaskStatus::Running
    );
    e.ctl
        .add_fault(Fault::on("tasks", FaultKind::Timeout).times(1));
    let err = c.call(request::task_list(&e.alpha), a).await.unwrap_err();
    assert!(
        matches!(&err, Error::Timeout { origin: TimeoutOrigin::Gateway, message, .. } if message == "list task timeout"),
        "{err:?}"
    );

    e.ctl
        .add_fault(Fault::on("tasks", FaultKind::Http500).times(1));
    let err = c.call(request::task_list(&e.alpha), a).await.unwrap_err();
    assert!(matches!(err, Error::Gateway(_)), "{err:?}");
    assert_eq!(reply_of(&err), (500, -1, "simulated internal error".into()));
    c.call(request::task_list(&e.alpha), a).await.unwrap();
}

#[tokio::test]
async fn connection_reset() {
    let e = Env::start().await;
    let (c, a) = (&e.client, &e.auth);
    // one-shot reset on a read: retried once with a fresh nonce, succeeds
    let n = e.used_nonces(DEMO_MACHINE_ALPHA);
    e.ctl
        .add_fault(Fault::on("tasks", FaultKind::Reset).times(1));
    let list = c.call(request::task_list(&e.alpha), a).await.unwrap();
    assert!(list.iter().any(|t| t.task_id == PREEXISTING));
    assert_eq!(e.used_nonces(DEMO_MACHINE_ALPHA), n + 2, "one retry");
    // sticky reset on a read: Transport after two attempts
    e.ctl.add_fault(Fault::on("tasks", FaultKind::Reset));
    let n = e.used_nonces(DEMO_MACHINE_ALPHA);
    let err = c.call(request::task_list(&e.alpha), a).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(e.used_nonces(DEMO_MACHINE_ALPHA), n + 2);
    e.ctl.clear_faults();
    // reset on a mutation: ambiguous, never retried; the sim did carry it out
    e.ctl
        .add_fault(Fault::on("tasks/shutdown", FaultKind::Reset).times(1));
    let n = e.used_nonces(DEMO_MACHINE_ALPHA);
    let err = c
        .call(
            request::task_action(&e.alpha, TaskAction::Shutdown, PREEXISTING),
            a,
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AmbiguousOutcome(_)), "{err:?}");
    assert_eq!(e.used_nonces(DEMO_MACHINE_ALPHA), n + 1, "not retried");
    let st = c
        .call(request::task_detail(&e.alpha, PREEXISTING), a)
        .await
        .unwrap()
        .status;
    assert!(
        matches!(st, TaskStatus::BeingShutdown | TaskStatus::Closed),
        "{st:?}"
    );
}

#[tokio::test]
async fn garbage_bodies() {
    let e = Env::start().await;
    let (c, a) = (&e.client, &e.auth);
    e.ctl
        .add_fault(Fault::on("tasks", FaultKind::Garbage).times(1));
    let err = c.call(request::task_list(&e.alpha), a).await.unwrap_err();
    assert!(matches!(err, Error::Decode { status: 200, .. }), "{err:?}");
    e.ctl
        .add_fault(Fault::on("mining_nodes", FaultKind::Garbage).times(1));
    let err = c
        .call(request::machine_list(), &Auth::None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");

    e.ctl
        .add_fault(Fault::on("tasks/restart", FaultKind::Garbage).times(1));
    let n = e.used_nonces(DEMO_MACHINE_ALPHA);
    let err = c
        .call(request::task_restart(&e.alpha, PREEXISTING, false), a)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AmbiguousOutcome(_)), "{err:?}");
    assert_eq!(reply_of(&err).0, 200);
    // not retried (the garbage fault answers before the node, so no nonce is spent either)
    assert_eq!(e.used_nonces(DEMO_MACHINE_ALPHA), n);
    assert_eq!(
        e.ctl.faults().len(),
        0,
        "the one-shot fault was consumed once"
    );
}

#[tokio::test]
async fn unescaped_json_quirk() {
    let e = Env::start().await;
    let (c, a) = (&e.client, &e.auth);
    // a log line with a quote: the node's reply is not JSON → Decode on a read
    assert!(e
        .ctl
        .push_log(DEMO_MACHINE_ALPHA, PREEXISTING, "he said \"hi\""));
    let err = c
        .call(
            request::task_logs(&e.alpha, PREEXISTING, LogEnd::Tail, 5),
            a,
        )
        .await
        .unwrap_err();
    match &err {
        Error::Decode { status, body, .. } => {
            assert_eq!(*status, 500);
            assert_eq!(body, "response parse error");
        }
        other => panic!("{other:?}"),
    }

    // the client refuses a quote in desc, so send a hand-built create
    let mut t = linux_vm("plain");
    assert!(matches!(
        c.call(
            request::create_task(&e.beta, &linux_vm("a \"quoted\" desc")),
            a
        )
        .await
        .unwrap_err(),
        Error::Validation(_)
    ));
    t.desc = "plain".into();
    let mut body = request::create_task(&e.beta, &t).unwrap().body(a).unwrap();
    body["additional"]["desc"] = json!("a \"quoted\" desc");
    let err = e.post_raw("tasks/start", &body, true).await.unwrap_err();
    assert!(matches!(err, Error::AmbiguousOutcome(_)), "{err:?}");
    assert_eq!(reply_of(&err), (500, -1, "response parse error".into()));
    // …and the VM was in fact created: listing it now fails to decode (desc echoed)
    let tasks = e.ctl.machine(DEMO_MACHINE_BETA).unwrap().tasks;
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].desc, "a \"quoted\" desc");
    let err = c.call(request::task_list(&e.beta), a).await.unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn client_timeout_on_latency() {
    let e = Env::start().await;
    let mut cfg = ClientConfig::new(&e.url);
    cfg.timeout = Duration::from_millis(200);
    let short = Client::new(cfg).unwrap();
    e.ctl
        .add_fault(Fault::on("tasks", FaultKind::Latency { ms: 800 }).times(1));
    let t0 = Instant::now();
    let err = short
        .call(request::task_list(&e.alpha), &e.auth)
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Timeout {
                origin: TimeoutOrigin::Client,
                reply: None,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        t0.elapsed() < Duration::from_millis(700),
        "{:?}",
        t0.elapsed()
    );
    assert_eq!(err.code().as_str(), "timeout");
    // latency below the timeout is fine
    e.ctl
        .add_fault(Fault::on("tasks", FaultKind::Latency { ms: 50 }).times(1));
    short
        .call(request::task_list(&e.alpha), &e.auth)
        .await
        .unwrap();
}

#[tokio::test]
async fn connection_refused_is_transport() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let c = Client::connect(&format!("http://127.0.0.1:{port}")).unwrap();
    let err = c.call(request::version(), &Auth::None).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert_eq!(err.code().as_str(), "transport");
    // plain words, not the OS's errno text
    let text = err.to_string();
    assert!(
        text.contains("connection refused") && !text.contains("os error"),
        "{text}"
    );
    // a mutation that never connected is not ambiguous either
    let w = Arc::new(Wallet::from_hex_seed(DEMO_SEED_HEX).unwrap());
    let m = Machine::new(DEMO_MACHINE_ALPHA, Some("1001".into()));
    let err = c
        .call(
            request::task_action(&m, TaskAction::Shutdown, PREEXISTING),
            &Auth::Wallet(w),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}
