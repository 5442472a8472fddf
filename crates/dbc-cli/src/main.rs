//! `dbc`: every DBC client-node endpoint as a subcommand, and `rentals` from the chain.
//! Argument parsing only; all request building, validation, signing and transport live in
//! `dbc-api` (client node) and `dbc-chain` (chain).

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use dbc_api::auth::Auth;
use dbc_api::keys::{KeyError, Secret, Wallet};
use dbc_api::models::TaskDetail;
use dbc_api::request::{
    self as rq, ApiRequest, CreateTask, LogEnd, Machine, ModifyTask, TaskAction,
};
use dbc_api::{Client, Error};
use dbc_secrets::{Keychain as _, OsKeychain, Vault};
use serde_json::{json, Value};

/// Environment variable holding the passphrase of DBC Desk's wallet file (never an argument:
/// argv is visible to other users).
const PASSPHRASE_ENV: &str = "DBC_DESK_PASSPHRASE";

#[derive(Parser, Debug)]
#[command(
    name = "dbc",
    version,
    about = "Command-line client for the DBC client-node HTTP API"
)]
struct Cli {
    /// DBC client node address.
    #[arg(
        long,
        env = "DBC_URL",
        default_value = "http://127.0.0.1:5002",
        global = true
    )]
    url: String,
    /// Target GPU machine id (64 hex characters).
    #[arg(long, env = "DBC_NODE", global = true)]
    node: Option<String>,
    /// Your rent order id for the machine (sent on every machine-level call).
    #[arg(long, env = "DBC_RENT_ORDER", global = true)]
    rent_order: Option<String>,
    /// Read the wallet from a file: a hex seed, a mnemonic/secret URI, or a polkadot.js JSON
    /// keystore ("Export account"; its password from DBC_KEY_PASSWORD or --key-password-*).
    /// Repeat it (and --key-env, --keychain) once per local signer of a multisig.
    #[arg(long, global = true, value_name = "PATH")]
    key_file: Vec<PathBuf>,
    /// Read the wallet secret from this environment variable.
    #[arg(long, global = true, value_name = "VAR")]
    key_env: Vec<String>,
    /// Use a wallet DBC Desk keeps, by entry name (wallet:<address>): from the OS keychain, or
    /// else from the app's passphrase-encrypted file (see --vault-file).
    #[arg(long, global = true, value_name = "NAME")]
    keychain: Vec<String>,
    /// Sign for a multisig renter: all member addresses, comma-separated, in the order the
    /// multisig was made with; the local signers are the keys given (one --key-file, --key-env
    /// or --keychain each), at least --threshold of them.
    #[arg(
        long,
        global = true,
        value_name = "ADDR,ADDR,…",
        value_delimiter = ',',
        requires = "threshold"
    )]
    multisig_wallets: Vec<String>,
    /// Signatures the multisig needs.
    #[arg(long, global = true, value_name = "N", requires = "multisig_wallets")]
    threshold: Option<String>,
    /// DBC Desk's passphrase-encrypted wallet file, read for --keychain when the OS keychain has
    /// no such entry or cannot be used [default: the app's]. Passphrase: DBC_DESK_PASSPHRASE or
    /// a prompt.
    ///
    /// The default is vault.json in the app's data folder io.dbcdesk.desktop: under
    /// $XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS,
    /// %APPDATA% on Windows. The passphrase is read from the environment variable
    /// DBC_DESK_PASSPHRASE or, when it is unset and stdin is a terminal, asked for (never taken
    /// from the command line).
    #[arg(long, env = "DBC_VAULT_FILE", global = true, value_name = "PATH")]
    vault_file: Option<PathBuf>,
    /// Read the password of a polkadot.js keystore or of a secret URI from this environment
    /// variable [default: DBC_KEY_PASSWORD]. Secrets are never taken on the command line.
    #[arg(long, global = true, value_name = "VAR")]
    key_password_env: Option<String>,
    /// Read the keystore / secret URI password from this file (one trailing newline dropped).
    #[arg(long, global = true, value_name = "PATH")]
    key_password_file: Option<PathBuf>,
    /// Read the keystore / secret URI password from standard input (asked for on a terminal).
    #[arg(long, global = true)]
    key_password_stdin: bool,
    /// Refused: other users can read a command line.
    #[arg(long, global = true, hide = true, num_args = 0..=1, default_missing_value = "")]
    key_password: Option<String>,
    /// Use a session id shared by the renter instead of a wallet, with its signature from
    /// DBC_SESSION_SIGN or one of the --session-sign-* options.
    #[arg(long, global = true)]
    session_id: Option<String>,
    /// Read the session's signature from this environment variable [default: DBC_SESSION_SIGN].
    #[arg(long, global = true, value_name = "VAR")]
    session_sign_env: Option<String>,
    /// Read the session's signature from this file (one trailing newline dropped).
    #[arg(long, global = true, value_name = "PATH")]
    session_sign_file: Option<PathBuf>,
    /// Read the session's signature from standard input.
    #[arg(long, global = true)]
    session_sign_stdin: bool,
    /// Refused: other users can read a command line.
    #[arg(long, global = true, hide = true, num_args = 0..=1, default_missing_value = "")]
    session_sign: Option<String>,
    /// Print the exact request instead of sending it (signatures, nonces and passwords shown as
    /// <redacted> unless --show-secrets).
    #[arg(long, global = true)]
    dry_run: bool,
    /// DBC chain JSON-RPC endpoint (http://, https://, ws:// or wss://) for `rentals`
    /// [default: DBC's public mainnet endpoint wss://info.dbcwallet.io].
    #[arg(long, env = "DBC_CHAIN_URL", global = true, value_name = "URL")]
    chain_url: Option<String>,
    /// With --dry-run: print signatures, nonces and passwords as they are (anyone who sees the
    /// output can then send that request).
    #[arg(long, global = true)]
    show_secrets: bool,
    #[command(subcommand)]
    cmd: Cmd,
}

#[derive(Args, Debug)]
struct Task {
    /// Task (VM) id.
    task_id: String,
}

#[derive(Args, Debug)]
struct ImageFile {
    #[arg(long)]
    file: String,
}

#[derive(Args, Debug, Default)]
struct CreateArgs {
    #[arg(long, default_value = "")]
    task_id: String,
    #[arg(long, default_value = "")]
    gpu_count: String,
    #[arg(long, default_value = "")]
    desc: String,
    #[arg(long, default_value = "linux")]
    os: String,
    #[arg(long, default_value = "")]
    bios_mode: String,
    #[arg(long)]
    image: String,
    #[arg(long, default_value = "")]
    public_ip: String,
    #[arg(long, default_value = "")]
    ssh_port: String,
    #[arg(long, default_value = "")]
    rdp_port: String,
    #[arg(long)]
    vnc_port: String,
    #[arg(long)]
    cpu_cores: String,
    /// GB
    #[arg(long)]
    mem_size: String,
    /// GB (data disk)
    #[arg(long, default_value = "")]
    disk_size: String,
    #[arg(long, default_value = "")]
    data_file_name: String,
    #[arg(long, default_value = "")]
    network_name: String,
    /// Repeat: tcp,8080 | udp,7000-7010 | tcp,80:8080 …
    #[arg(long)]
    custom_port: Vec<String>,
    #[arg(long)]
    multicast: Vec<String>,
    #[arg(long)]
    network_filter: Vec<String>,
    #[arg(long, default_value = "")]
    interface_model: String,
}

#[derive(Args, Debug)]
struct ModifyArgs {
    task_id: String,
    #[arg(long, default_value = "")]
    new_public_ip: String,
    #[arg(long, default_value = "")]
    new_ssh_port: String,
    #[arg(long, default_value = "")]
    new_rdp_port: String,
    /// Replaces the whole list (repeat the flag).
    #[arg(long)]
    new_custom_port: Option<Vec<String>>,
    #[arg(long)]
    new_network_filter: Option<Vec<String>>,
    #[arg(long, default_value = "")]
    new_vnc_port: String,
    #[arg(long, default_value = "")]
    new_gpu_count: String,
    #[arg(long, default_value = "")]
    new_cpu_cores: String,
    #[arg(long, default_value = "")]
    new_mem_size: String,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Client node version (`/api/v1/`).
    Version,
    /// Machines known to the client node.
    Machines,
    /// Hardware, GPUs and images of --node.
    MachineInfo {
        #[arg(long)]
        image_server: Option<String>,
    },
    /// Your session id on --node (wallet or multisig only).
    SessionId,
    /// Your rent orders on the chain (--chain-url), as a JSON array: order, machine, status,
    /// end block and seconds left.
    Rentals {
        /// Renter address (SS58) [default: the address of the key given by --key-file,
        /// --key-env or --keychain].
        #[arg(long, value_name = "SS58")]
        wallet: Option<String>,
    },
    /// Rent orders cached by --node.
    RentOrders {
        #[arg(long)]
        order: Option<String>,
    },
    /// Create a VM.
    Create(Box<CreateArgs>),
    /// Your VMs on --node.
    Tasks,
    /// Details of one VM.
    Task(Task),
    /// The VM's ready-to-paste SSH command, built only from values that pass the safety checks
    /// (host, port, user name). When one fails: nothing on stdout, a JSON error on stderr naming
    /// the field and rule, exit 1.
    Ssh(Task),
    Start(Task),
    Shutdown(Task),
    Poweroff(Task),
    Reset(Task),
    Delete(Task),
    Restart {
        task_id: String,
        #[arg(long)]
        force: bool,
    },
    Logs {
        task_id: String,
        #[arg(long)]
        head: bool,
        #[arg(long, default_value_t = 100)]
        lines: u32,
    },
    /// Change a login password of a running VM. The new password comes from DBC_NEW_PASSWORD or
    /// one of the --password-* options, never from the command line.
    Passwd {
        task_id: String,
        #[arg(long)]
        user: String,
        /// Read the new password from this environment variable [default: DBC_NEW_PASSWORD].
        #[arg(long, value_name = "VAR")]
        password_env: Option<String>,
        /// Read the new password from this file (one trailing newline dropped).
        #[arg(long, value_name = "PATH")]
        password_file: Option<PathBuf>,
        /// Read the new password from standard input (asked for on a terminal).
        #[arg(long)]
        password_stdin: bool,
        /// Refused: other users can read a command line.
        #[arg(long, hide = true, num_args = 0..=1, default_missing_value = "")]
        password: Option<String>,
    },
    Modify(Box<ModifyArgs>),
    Disks(Task),
    DiskResize {
        task_id: String,
        #[arg(long)]
        disk: String,
        #[arg(long)]
        add_gb: u64,
    },
    DiskAdd {
        task_id: String,
        #[arg(long)]
        size_gb: u64,
        #[arg(long, default_value = "/data")]
        mount_dir: String,
    },
    DiskDelete {
        task_id: String,
        #[arg(long)]
        disk: String,
    },
    Snapshots {
        task_id: String,
        #[arg(long)]
        name: Option<String>,
    },
    SnapshotCreate {
        task_id: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        desc: String,
        #[arg(long)]
        image_server: String,
    },
    SnapshotDelete {
        task_id: String,
        #[arg(long)]
        name: String,
    },
    ImageServers,
    /// Images on an image server (--server) or, with --node, on the machine.
    Images {
        #[arg(long)]
        server: Option<String>,
    },
    ImageDownload {
        #[arg(long)]
        server: String,
        #[arg(long)]
        file: String,
        #[arg(long, default_value = "/data")]
        dir: String,
    },
    ImageDownloadProgress(ImageFile),
    ImageDownloadStop(ImageFile),
    /// Upload from --node, or from the client node itself without --node.
    ImageUpload {
        #[arg(long)]
        file: String,
        #[arg(long)]
        server: String,
    },
    ImageUploadProgress(ImageFile),
    ImageUploadStop(ImageFile),
    ImageDelete(ImageFile),
    LanCreate {
        #[arg(long)]
        name: String,
        #[arg(long)]
        cidr: String,
    },
    LanDelete {
        name: String,
    },
    /// LANs seen by --node, or by the client node without --node.
    Lans {
        #[arg(long)]
        name: Option<String>,
    },
}

fn fail(e: &Error) -> ExitCode {
    let mut out = json!({ "error": e.code(), "message": e.to_string() });
    if let Some(r) = e.reply() {
        out["reply"] = json!({ "status": r.status, "errcode": r.errcode, "message": r.message });
    }
    if let Error::Validation(v) = e {
        out["fields"] = serde_json::to_value(&v.errors).unwrap_or(Value::Null);
    }
    eprintln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    ExitCode::FAILURE
}

fn chain_fail(e: &dbc_chain::Error) -> ExitCode {
    let mut out = json!({ "error": e.code(), "message": e.to_string() });
    if let dbc_chain::Error::Rpc { code, message, .. } = e {
        out["rpc"] = json!({ "code": code, "message": message });
    }
    eprintln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    ExitCode::FAILURE
}

/// `dbc rentals`: the renter's orders from the chain, one object per order.
async fn rentals(cli: &Cli, wallet: Option<&str>) -> ExitCode {
    let renter = match wallet {
        Some(w) => w.trim().to_string(),
        None => match load_auth(cli) {
            Ok(Auth::Wallet(w)) => w.address().to_string(),
            Ok(Auth::None) => {
                return usage(
                    "give --wallet <SS58 address> or a key (--key-file, --key-env, --keychain)",
                )
            }
            Ok(_) => return usage("a session names no wallet: give --wallet <SS58 address>"),
            Err(msg) => return usage(&msg),
        },
    };
    let url = cli
        .chain_url
        .as_deref()
        .unwrap_or(dbc_chain::PUBLIC_WS_ENDPOINT);
    let chain = match dbc_chain::ChainClient::new(url, dbc_chain::ChainOptions::default()) {
        Ok(c) => c,
        Err(e) => return chain_fail(&e),
    };
    let (now, list) = match tokio::try_join!(chain.current_block(), chain.rentals(&renter)) {
        Ok(r) => r,
        Err(e) => return chain_fail(&e),
    };
    let out: Vec<Value> = list
        .iter()
        .map(|r| {
            let o = &r.order;
            json!({
                "rent_order": r.id,
                "machine_id": o.machine_id,
                "renter": o.renter,
                "status": o.rent_status,
                "rent_start": o.rent_start,
                "confirm_rent": o.confirm_rent,
                "rent_end_block": o.rent_end,
                "current_block": now,
                "seconds_left": o.seconds_left(now),
                "gpu_num": o.gpu_num,
                "gpu_index": o.gpu_index,
                "stake_amount": o.stake_amount.to_string(),
            })
        })
        .collect();
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    ExitCode::SUCCESS
}

/// `dbc ssh`: the checked command on stdout, or only a JSON error on stderr.
fn ssh_command(req: &ApiRequest, reply: &Value) -> ExitCode {
    let detail: TaskDetail = match dbc_api::client::decode(req, reply) {
        Ok(d) => d,
        Err(e) => return fail(&e),
    };
    let conn = detail.connection();
    match conn.ssh() {
        Ok(cmd) => {
            println!("{cmd}");
            ExitCode::SUCCESS
        }
        Err(why) => {
            // Same shape as input errors' `fields`, plus the node's raw value (JSON-escaped).
            let fields: Vec<Value> = conn
                .problems()
                .filter_map(|v| {
                    let p = v.problem.as_ref()?;
                    Some(json!({ "field": v.field, "rule": p.rule, "message": p.message, "value": v.raw }))
                })
                .collect();
            let mut out = json!({ "error": why.code(), "message": why.message() });
            if !fields.is_empty() {
                out["fields"] = Value::Array(fields);
            }
            let text = serde_json::to_string_pretty(&out).unwrap_or_default();
            eprintln!("{}", ascii_json(&text));
            ExitCode::FAILURE
        }
    }
}

/// JSON text with every non-ASCII character written as `\uXXXX`: the same JSON, but a hostile
/// value's invisible or text-reversing characters (U+202E) cannot garble the terminal.
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for unit in c.encode_utf16(&mut [0; 2]) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("{}", json!({ "error": "usage", "message": msg }));
    ExitCode::from(2)
}

/// Where one secret comes from: an environment variable, a file or standard input — never the
/// command line, which other users of the computer can read.
struct SecretSource<'a> {
    /// The refused option, e.g. `--key-password` (its safe forms add `-env`, `-file`, `-stdin`).
    flag: &'static str,
    /// What it is, for prompts and messages.
    what: &'static str,
    /// The variable read when no source is given.
    default_env: &'static str,
    /// A value given on the command line (refused).
    on_argv: bool,
    env: Option<&'a str>,
    file: Option<&'a Path>,
    stdin: bool,
}

impl SecretSource<'_> {
    /// The usage error for a secret given on the command line (its value is not repeated).
    fn refuse_argv(&self) -> Result<(), String> {
        if !self.on_argv {
            return Ok(());
        }
        let f = self.flag;
        Err(format!(
            "{f} does not take the {} on the command line (other users can read it): use \
             {f}-env VAR, {f}-file PATH or {f}-stdin, or set {}",
            self.what, self.default_env
        ))
    }

    /// The secret, or `None` when no source is given and the default variable is not set.
    fn read(&self) -> Result<Option<Secret>, String> {
        self.refuse_argv()?;
        let f = self.flag;
        let given = [self.env.is_some(), self.file.is_some(), self.stdin];
        if given.iter().filter(|g| **g).count() > 1 {
            return Err(format!(
                "give the {} once: {f}-env, {f}-file or {f}-stdin",
                self.what
            ));
        }
        let from_env = |var: &str| match std::env::var(var) {
            Ok(v) => Ok(Some(Secret::new(v))),
            Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(format!("{var} is not valid UTF-8")),
        };
        if let Some(var) = self.env {
            return from_env(var)?
                .map(Some)
                .ok_or_else(|| format!("environment variable {var} is not set"));
        }
        if let Some(path) = self.file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            return Ok(Some(Secret::new(strip_newline(&text))));
        }
        if self.stdin {
            let stdin = std::io::stdin();
            if stdin.is_terminal() {
                return rpassword::prompt_password(format!("{}: ", self.what))
                    .map(|p| Some(Secret::new(p)))
                    .map_err(|e| format!("cannot read the {}: {e}", self.what));
            }
            let mut text = String::new();
            std::io::Read::read_to_string(&mut stdin.lock(), &mut text)
                .map_err(|e| format!("cannot read the {} from standard input: {e}", self.what))?;
            return Ok(Some(Secret::new(strip_newline(&text))));
        }
        from_env(self.default_env)
    }
}

/// A secret read from a file or a pipe, without the one line ending that closes it.
fn strip_newline(text: &str) -> &str {
    let t = text.strip_suffix('\n').unwrap_or(text);
    t.strip_suffix('\r').unwrap_or(t)
}

fn key_password(cli: &Cli) -> SecretSource<'_> {
    SecretSource {
        flag: "--key-password",
        what: "keystore password",
        default_env: "DBC_KEY_PASSWORD",
        on_argv: cli.key_password.is_some(),
        env: cli.key_password_env.as_deref(),
        file: cli.key_password_file.as_deref(),
        stdin: cli.key_password_stdin,
    }
}

fn session_sign(cli: &Cli) -> SecretSource<'_> {
    SecretSource {
        flag: "--session-sign",
        what: "session signature",
        default_env: "DBC_SESSION_SIGN",
        on_argv: cli.session_sign.is_some(),
        env: cli.session_sign_env.as_deref(),
        file: cli.session_sign_file.as_deref(),
        stdin: cli.session_sign_stdin,
    }
}

/// `passwd`'s new password (`None` for other commands).
fn new_password(cli: &Cli) -> Option<SecretSource<'_>> {
    match &cli.cmd {
        Cmd::Passwd {
            password_env,
            password_file,
            password_stdin,
            password,
            ..
        } => Some(SecretSource {
            flag: "--password",
            what: "new password",
            default_env: "DBC_NEW_PASSWORD",
            on_argv: password.is_some(),
            env: password_env.as_deref(),
            file: password_file.as_deref(),
            stdin: *password_stdin,
        }),
        _ => None,
    }
}

/// Refuse secrets on the command line, and more than one secret from standard input, before
/// anything else happens.
fn check_secret_sources(cli: &Cli) -> Result<(), String> {
    let sources: Vec<SecretSource> = [Some(key_password(cli)), Some(session_sign(cli))]
        .into_iter()
        .chain([new_password(cli)])
        .flatten()
        .collect();
    for s in &sources {
        s.refuse_argv()?;
    }
    if sources.iter().filter(|s| s.stdin).count() > 1 {
        return Err("only one secret can come from standard input".into());
    }
    Ok(())
}

/// The request's signatures, nonces and passwords replaced with `<redacted>` (for `--dry-run`
/// without `--show-secrets`): printed output ends up in terminals, logs and bug reports.
fn redact(v: &mut Value) {
    const SECRET_FIELDS: &[&str] = &["sign", "nonce", "session_id_sign", "password"];
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if SECRET_FIELDS.contains(&k.as_str()) && !x.is_null() {
                    *x = Value::String("<redacted>".into());
                } else {
                    redact(x);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(redact),
        _ => {}
    }
}

fn load_auth(cli: &Cli) -> Result<Auth, String> {
    if let Some(id) = &cli.session_id {
        let sign = session_sign(cli).read()?.ok_or_else(|| {
            "--session-id needs the session's signature: set DBC_SESSION_SIGN, or use \
             --session-sign-env VAR, --session-sign-file PATH or --session-sign-stdin"
                .to_string()
        })?;
        return Ok(Auth::Session {
            session_id: id.clone(),
            session_id_sign: sign.expose().to_string(),
        });
    }
    let mut secrets = Vec::new();
    for path in &cli.key_file {
        secrets
            .push(Secret::new(std::fs::read_to_string(path).map_err(|e| {
                format!("cannot read {}: {e}", path.display())
            })?));
    }
    for var in &cli.key_env {
        secrets.push(Secret::new(
            std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))?,
        ));
    }
    for name in &cli.keychain {
        secrets.push(stored_secret(name, cli.vault_file.as_deref())?);
    }
    if secrets.is_empty() {
        return Ok(Auth::None);
    }
    let password = key_password(cli).read()?;
    let mut wallets = Vec::new();
    for secret in &secrets {
        let wallet = Wallet::from_any(secret, password.as_ref()).map_err(|e| match e {
            KeyError::WrongPassword if password.is_none() => {
                "the keystore is encrypted: give its password in DBC_KEY_PASSWORD, or with \
                 --key-password-env VAR, --key-password-file PATH or --key-password-stdin"
                    .to_string()
            }
            e => e.to_string(),
        })?;
        wallets.push(Arc::new(wallet));
    }
    if cli.multisig_wallets.is_empty() {
        return match <[_; 1]>::try_from(wallets) {
            Ok([w]) => Ok(Auth::Wallet(w)),
            Err(_) => Err(
                "several keys given: for a multisig renter add --multisig-wallets \
                 and --threshold, else give one key"
                    .to_string(),
            ),
        };
    }
    // A multisig: the node's rules (SPEC §3.5) live in dbc-api.
    let members: Vec<String> = cli
        .multisig_wallets
        .iter()
        .map(|m| m.trim().to_string())
        .filter(|m| !m.is_empty())
        .collect();
    let signers: Vec<String> = wallets.iter().map(|w| w.address().to_string()).collect();
    let mut c = dbc_api::validate::Checker::new();
    let threshold = c.multisig(&members, cli.threshold.as_deref().unwrap_or(""), &signers);
    c.finish(()).map_err(|e| {
        e.errors
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; ")
    })?;
    Ok(Auth::Multisig {
        wallets: members,
        threshold: threshold.expect("checked"),
        signers: wallets,
    })
}

/// `--keychain NAME`: the OS keychain entry DBC Desk made; failing that (no entry, or no usable
/// keychain), the same entry in DBC Desk's passphrase-encrypted file when that file exists.
fn stored_secret(name: &str, vault_file: Option<&Path>) -> Result<Secret, String> {
    let keychain = match OsKeychain.get(name) {
        Ok(Some(s)) => return Ok(Secret::new(s.as_str())),
        Ok(None) => format!("no keychain entry {name}"),
        Err(reason) => format!("keychain entry {name}: {reason}"),
    };
    let Some(path) = vault_file
        .map(Path::to_path_buf)
        .or_else(dbc_secrets::default_vault_path)
    else {
        return Err(keychain);
    };
    if !path.exists() {
        return Err(match vault_file {
            Some(_) => format!("{keychain}, and {} does not exist", path.display()),
            None => keychain,
        });
    }
    let file = path.display();
    let passphrase = vault_passphrase(&path).map_err(|e| format!("{keychain}; {e}"))?;
    let vault = Vault::open_file(path.clone());
    vault
        .unlock(&passphrase)
        .map_err(|e| format!("{keychain}; {file}: {e}"))?;
    vault.get(name).map_err(|e| match e {
        dbc_secrets::Error::Missing(_) => format!("{keychain}, nor in {file}"),
        e => format!("{keychain}; {file}: {e}"),
    })
}

/// The wallet file's passphrase: from the environment, or asked on the terminal (no echo).
fn vault_passphrase(path: &Path) -> Result<Secret, String> {
    if let Some(v) = std::env::var_os(PASSPHRASE_ENV) {
        return v
            .into_string()
            .map(Secret::new)
            .map_err(|_| format!("{PASSPHRASE_ENV} is not valid UTF-8"));
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "{} is locked: set {PASSPHRASE_ENV} to its passphrase",
            path.display()
        ));
    }
    rpassword::prompt_password(format!(
        "Passphrase of DBC Desk's wallet file {}: ",
        path.display()
    ))
    .map(Secret::new)
    .map_err(|e| format!("cannot read the passphrase: {e}"))
}

/// A built call as the untyped request the CLI prints or sends.
fn v<T>(
    r: Result<dbc_api::Call<T>, dbc_api::validate::ValidationErrors>,
) -> Result<ApiRequest, Result<Error, String>> {
    r.map(dbc_api::Call::into_raw)
        .map_err(|e| Ok(Error::Validation(e)))
}

fn build(cli: &Cli) -> Result<ApiRequest, Result<Error, String>> {
    let m = cli
        .node
        .as_ref()
        .map(|n| Machine::new(n.clone(), cli.rent_order.clone()));
    let need = || {
        m.as_ref()
            .ok_or_else(|| Err("this command needs --node <machine id>".to_string()))
    };
    Ok(match &cli.cmd {
        Cmd::Version => rq::version().into_raw(),
        Cmd::Machines => rq::machine_list().into_raw(),
        Cmd::MachineInfo { image_server } => v(rq::machine_info(need()?, image_server.as_deref()))?,
        Cmd::SessionId => v(rq::session_id(need()?))?,
        Cmd::RentOrders { order } => v(rq::rent_orders(need()?, order.as_deref()))?,
        // answered by the chain, before any client-node request is built (see `rentals`)
        Cmd::Rentals { .. } => return Err(Err("rentals asks the chain, not a node".into())),
        Cmd::Create(a) => {
            let t = CreateTask {
                task_id: a.task_id.clone(),
                gpu_count: a.gpu_count.clone(),
                desc: a.desc.clone(),
                operation_system: a.os.clone(),
                bios_mode: a.bios_mode.clone(),
                image_name: a.image.clone(),
                public_ip: a.public_ip.clone(),
                ssh_port: a.ssh_port.clone(),
                rdp_port: a.rdp_port.clone(),
                vnc_port: a.vnc_port.clone(),
                cpu_cores: a.cpu_cores.clone(),
                mem_size: a.mem_size.clone(),
                disk_size: a.disk_size.clone(),
                data_file_name: a.data_file_name.clone(),
                network_name: a.network_name.clone(),
                custom_port: a.custom_port.clone(),
                multicast: a.multicast.clone(),
                network_filters: a.network_filter.clone(),
                interface_model_type: a.interface_model.clone(),
            };
            v(rq::create_task(need()?, &t))?
        }
        Cmd::Tasks => v(rq::task_list(need()?))?,
        Cmd::Task(t) | Cmd::Ssh(t) => v(rq::task_detail(need()?, &t.task_id))?,
        Cmd::Start(t) => v(rq::task_action(need()?, TaskAction::Start, &t.task_id))?,
        Cmd::Shutdown(t) => v(rq::task_action(need()?, TaskAction::Shutdown, &t.task_id))?,
        Cmd::Poweroff(t) => v(rq::task_action(need()?, TaskAction::Poweroff, &t.task_id))?,
        Cmd::Reset(t) => v(rq::task_action(need()?, TaskAction::Reset, &t.task_id))?,
        Cmd::Delete(t) => v(rq::task_action(need()?, TaskAction::Delete, &t.task_id))?,
        Cmd::Restart { task_id, force } => v(rq::task_restart(need()?, task_id, *force))?,
        Cmd::Logs {
            task_id,
            head,
            lines,
        } => {
            let end = if *head { LogEnd::Head } else { LogEnd::Tail };
            v(rq::task_logs(need()?, task_id, end, *lines))?
        }
        Cmd::Passwd { task_id, user, .. } => {
            let password = new_password(cli)
                .map(|s| s.read())
                .transpose()
                .map_err(Err)?
                .flatten()
                .ok_or_else(|| {
                    Err(
                        "passwd needs the new password: set DBC_NEW_PASSWORD, or use \
                         --password-env VAR, --password-file PATH or --password-stdin"
                            .to_string(),
                    )
                })?;
            v(rq::task_passwd(need()?, task_id, user, password.expose()))?
        }
        Cmd::Modify(a) => {
            let t = ModifyTask {
                new_public_ip: a.new_public_ip.clone(),
                new_ssh_port: a.new_ssh_port.clone(),
                new_rdp_port: a.new_rdp_port.clone(),
                new_custom_port: a.new_custom_port.clone(),
                new_network_filters: a.new_network_filter.clone(),
                new_vnc_port: a.new_vnc_port.clone(),
                new_gpu_count: a.new_gpu_count.clone(),
                new_cpu_cores: a.new_cpu_cores.clone(),
                new_mem_size: a.new_mem_size.clone(),
            };
            v(rq::task_modify(need()?, &a.task_id, &t))?
        }
        Cmd::Disks(t) => v(rq::disk_list(need()?, &t.task_id))?,
        Cmd::DiskResize {
            task_id,
            disk,
            add_gb,
        } => v(rq::disk_resize(need()?, task_id, disk, &add_gb.to_string()))?,
        Cmd::DiskAdd {
            task_id,
            size_gb,
            mount_dir,
        } => v(rq::disk_add(
            need()?,
            task_id,
            &size_gb.to_string(),
            mount_dir,
        ))?,
        Cmd::DiskDelete { task_id, disk } => v(rq::disk_delete(need()?, task_id, disk))?,
        Cmd::Snapshots { task_id, name } => match name {
            Some(n) => v(rq::snapshot_detail(need()?, task_id, n))?,
            None => v(rq::snapshot_list(need()?, task_id))?,
        },
        Cmd::SnapshotCreate {
            task_id,
            name,
            desc,
            image_server,
        } => v(rq::snapshot_create(
            need()?,
            task_id,
            name,
            desc,
            image_server,
        ))?,
        Cmd::SnapshotDelete { task_id, name } => v(rq::snapshot_delete(need()?, task_id, name))?,
        Cmd::ImageServers => rq::image_servers().into_raw(),
        Cmd::Images { server } => match (&m, server) {
            (Some(m), s) => v(rq::images_on_node(
                m,
                s.as_deref(),
                !cli.key_file.is_empty()
                    || !cli.key_env.is_empty()
                    || !cli.keychain.is_empty()
                    || cli.session_id.is_some(),
            ))?,
            (None, Some(s)) => v(rq::images_on_server(s))?,
            (None, None) => return Err(Err("give --server <id> or --node <machine id>".into())),
        },
        Cmd::ImageDownload { server, file, dir } => {
            v(rq::image_download(need()?, server, file, dir))?
        }
        Cmd::ImageDownloadProgress(f) => v(rq::image_download_progress(need()?, &f.file))?,
        Cmd::ImageDownloadStop(f) => v(rq::image_download_stop(need()?, &f.file))?,
        Cmd::ImageUpload { file, server } => v(rq::image_upload(m.as_ref(), file, server))?,
        Cmd::ImageUploadProgress(f) => v(rq::image_upload_progress(m.as_ref(), &f.file))?,
        Cmd::ImageUploadStop(f) => v(rq::image_upload_stop(m.as_ref(), &f.file))?,
        Cmd::ImageDelete(f) => v(rq::image_delete(need()?, &f.file))?,
        Cmd::LanCreate { name, cidr } => v(rq::lan_create(need()?, name, cidr))?,
        Cmd::LanDelete { name } => v(rq::lan_delete(need()?, name))?,
        Cmd::Lans { name } => match name {
            Some(n) => v(rq::lan_detail(m.as_ref(), n))?,
            None => v(rq::lan_list(m.as_ref()))?,
        },
    })
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(msg) = check_secret_sources(&cli) {
        return usage(&msg);
    }
    if let Cmd::Rentals { wallet } = &cli.cmd {
        return rentals(&cli, wallet.as_deref()).await;
    }
    let auth = match load_auth(&cli) {
        Ok(a) => a,
        Err(msg) => return usage(&msg),
    };
    let req = match build(&cli) {
        Ok(r) => r,
        Err(Ok(e)) => return fail(&e),
        Err(Err(msg)) => return usage(&msg),
    };
    let client = match Client::connect(&cli.url) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    if cli.dry_run {
        let mut body = match req.body(&auth) {
            Ok(b) => b,
            Err(e) => return fail(&Error::Validation(e)),
        };
        if !cli.show_secrets {
            redact(&mut body);
        }
        let out = json!({ "method": "POST", "url": client.url_for(&req), "body": body });
        println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    match client.send_raw(&req, &auth).await {
        Ok(v) if matches!(cli.cmd, Cmd::Ssh(_)) => ssh_command(&req, &v),
        Ok(v) => {
            println!("{}", serde_json::to_string_pretty(&v).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
