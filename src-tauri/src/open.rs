//! "Open" for a VM: SSH in the user's terminal, RDP and VNC through the OS's own handler.
//! Only what `dbc_api::connect::launch` built from checked values is started, never through a
//! shell; the web view cannot open anything itself (it has no opener permission).

use std::path::{Path, PathBuf};
use std::process::Command;

use dbc_api::connect::{launch, Launch, NoCommand, OpenKind};
use dbc_api::request;
use serde::Serialize;
use specta::Type;

use dbc_api::text::{params, Params};

use crate::error::{AppCode, AppError, AppKey, AppResult};
use crate::state::AppState;

/// What was started, for the UI to confirm (and to copy when nothing could be started).
#[derive(Debug, Clone, Serialize, Type)]
pub struct Opened {
    pub kind: OpenKind,
    /// The command, file or address handed to the desktop.
    pub target: String,
}

impl AppState {
    pub async fn vm_open(
        &self,
        machine_id: &str,
        task_id: &str,
        kind: OpenKind,
    ) -> AppResult<Opened> {
        let detail = self
            .send(machine_id, |m| request::task_detail(m, task_id))
            .await?;
        let how = launch(&detail, kind).map_err(|e| {
            let key = match e {
                NoCommand::Unsafe => AppKey::OpenUnsafe,
                NoCommand::NotOffered => AppKey::OpenNotOffered,
            };
            AppError::new(AppCode::Conflict, key, Params::new())
        })?;
        let target = match how {
            Launch::Terminal(argv) => {
                run_in_terminal(&argv, &self.cache_dir().join("connect"))?;
                argv.join(" ")
            }
            Launch::File(name, content) => {
                let dir = self.cache_dir().join("connect");
                let path = write_file(&dir, &name, &content)?;
                open_with_os(&path.to_string_lossy(), true)?;
                path.to_string_lossy().into_owned()
            }
            Launch::Url(url) => {
                open_with_os(&url, false)?;
                url
            }
        };
        Ok(Opened { kind, target })
    }
}

fn write_file(dir: &Path, name: &str, content: &str) -> AppResult<PathBuf> {
    let path = dir.join(name);
    std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(&path, content))
        .map_err(|e| AppError::internal(AppKey::OpenFailed, format!("{}: {e}", path.display())))?;
    Ok(path)
}

fn open_with_os(what: &str, is_path: bool) -> AppResult<()> {
    let r = if is_path {
        tauri_plugin_opener::open_path(what, None::<&str>)
    } else {
        tauri_plugin_opener::open_url(what, None::<&str>)
    };
    r.map_err(|e| {
        AppError::new(
            AppCode::Internal,
            AppKey::OpenNoProgram,
            params([("target", what.to_string()), ("detail", e.to_string())]),
        )
    })
}

/// Terminals tried in order on Linux and the BSDs when `$TERMINAL` is not set.
const TERMINALS: [&str; 7] = [
    "x-terminal-emulator",
    "gnome-terminal",
    "konsole",
    "xfce4-terminal",
    "kitty",
    "alacritty",
    "xterm",
];

/// How a terminal program is told to run a command: the arguments before the command.
fn run_flag(program: &str) -> &'static [&'static str] {
    let name = Path::new(program)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(program);
    match name {
        "gnome-terminal" => &["--"],
        "xfce4-terminal" => &["-x"],
        "kitty" => &[],
        _ => &["-e"],
    }
}

fn on_path(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).is_file();
    }
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
}

/// The terminal command for `argv` (a program and its arguments), without starting it.
pub fn terminal_command(argv: &[String], terminal_env: Option<String>) -> Option<Command> {
    if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", "DBC Desk"]).args(argv);
        return Some(c);
    }
    let program = terminal_env
        .filter(|t| !t.trim().is_empty() && on_path(t.trim()))
        .map(|t| t.trim().to_string())
        .or_else(|| TERMINALS.iter().find(|t| on_path(t)).map(|t| t.to_string()))?;
    let mut c = Command::new(&program);
    c.args(run_flag(&program)).args(argv);
    Some(c)
}

fn run_in_terminal(argv: &[String], dir: &Path) -> AppResult<()> {
    if cfg!(target_os = "macos") {
        // a `.command` file opens in Terminal.app; its words are the checked argv
        let path = write_file(
            dir,
            "ssh.command",
            &format!("#!/bin/sh\nexec {}\n", argv.join(" ")),
        )?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o700));
        }
        return open_with_os(&path.to_string_lossy(), true);
    }
    let mut cmd = terminal_command(argv, std::env::var("TERMINAL").ok()).ok_or_else(|| {
        AppError::new(
            AppCode::Internal,
            AppKey::OpenNoTerminal,
            params([("command", argv.join(" "))]),
        )
    })?;
    cmd.spawn()
        .map(drop)
        .map_err(|e| AppError::internal(AppKey::OpenFailed, e.to_string()))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn args(c: &Command) -> Vec<String> {
        c.get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn the_terminal_runs_the_argv_without_a_shell() {
        let argv: Vec<String> = ["ssh", "-p", "2222", "dbc@203.0.113.7"]
            .map(String::from)
            .to_vec();
        let c = terminal_command(&argv, Some("/bin/sh".into())).unwrap();
        assert_eq!(c.get_program(), "/bin/sh");
        assert_eq!(args(&c), ["-e", "ssh", "-p", "2222", "dbc@203.0.113.7"]);
        assert_eq!(run_flag("/usr/bin/gnome-terminal"), ["--"]);
        // a $TERMINAL that does not exist falls back to the list
        let c = terminal_command(&argv, Some("/no/such/terminal".into()));
        assert!(c.is_none_or(|c| c.get_program() != "/no/such/terminal"));
    }
}
