//! Response types. Tolerant by design: numbers may come as strings or numbers, optional fields
//! may be absent, the node's `image_name:` key decodes, unknown statuses are kept verbatim.

use serde::{Deserialize, Deserializer, Serialize};

/// Lenient field decoders.
pub mod de {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    /// A string from a string, number or bool; `null` becomes "".
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::String(s) => s,
            Value::Null => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            other => other.to_string(),
        })
    }

    /// An optional string (absent or null → None).
    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Null => None,
            Value::String(s) => Some(s),
            other => Some(other.to_string()),
        })
    }

    /// A count from a number or a digit string; anything else becomes 0 (saturates at u32::MAX).
    pub fn number<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        let n: u64 = match Value::deserialize(d)? {
            Value::Number(n) => n.as_u64().unwrap_or(0),
            Value::String(s) => s.trim().parse().unwrap_or(0),
            _ => 0,
        };
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// A list of strings; absent/null → empty; non-string items are stringified.
    pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// A list of numbers from numbers or digit strings.
    pub fn numbers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u32>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => items
                .into_iter()
                .filter_map(|v| match v {
                    Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
                    Value::String(s) => s.trim().parse().ok(),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
    }

    /// A list of objects; absent/null → empty.
    pub fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
        Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
    }
}

/// VM status (SPEC §4.2). Unknown strings are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum TaskStatus {
    Creating,
    Running,
    Closed,
    PmSuspend,
    Starting,
    BeingShutdown,
    BeingPoweroff,
    Restarting,
    Resetting,
    Deleting,
    DiskResizing,
    DiskAdding,
    DiskDeleting,
    SnapshotCreating,
    CreateError,
    StartError,
    ShutdownError,
    PoweroffError,
    RestartError,
    ResetError,
    DeleteError,
    ResizeDiskError,
    AddDiskError,
    DeleteDiskError,
    CreateSnapshotError,
    Error,
    #[default]
    None,
    Other(String),
}

const STATUS_TABLE: &[(&str, TaskStatus)] = &[
    ("creating", TaskStatus::Creating),
    ("running", TaskStatus::Running),
    ("closed", TaskStatus::Closed),
    ("pmsuspend", TaskStatus::PmSuspend),
    ("starting", TaskStatus::Starting),
    ("being shutdown", TaskStatus::BeingShutdown),
    ("being poweroff", TaskStatus::BeingPoweroff),
    ("restarting", TaskStatus::Restarting),
    ("resetting", TaskStatus::Resetting),
    ("deleting", TaskStatus::Deleting),
    ("disk resizing", TaskStatus::DiskResizing),
    ("disk adding", TaskStatus::DiskAdding),
    ("disk deleting", TaskStatus::DiskDeleting),
    ("snapshot creating", TaskStatus::SnapshotCreating),
    ("create error", TaskStatus::CreateError),
    ("start error", TaskStatus::StartError),
    ("shutdown error", TaskStatus::ShutdownError),
    ("poweroff error", TaskStatus::PoweroffError),
    ("restart error", TaskStatus::RestartError),
    ("reset error", TaskStatus::ResetError),
    ("delete error", TaskStatus::DeleteError),
    ("resize disk error", TaskStatus::ResizeDiskError),
    ("add disk error", TaskStatus::AddDiskError),
    ("delete disk error", TaskStatus::DeleteDiskError),
    ("create snapshot error", TaskStatus::CreateSnapshotError),
    ("error", TaskStatus::Error),
    ("none", TaskStatus::None),
];

impl TaskStatus {
    pub fn parse(s: &str) -> TaskStatus {
        STATUS_TABLE
            .iter()
            .find(|(k, _)| *k == s)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| TaskStatus::Other(s.to_string()))
    }

    /// The exact wire text.
    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Other(s) => s,
            known => STATUS_TABLE
                .iter()
                .find(|(_, v)| v == known)
                .map(|(k, _)| *k)
                .unwrap_or("none"),
        }
    }

    /// A step is in progress: poll fast.
    pub fn is_transitional(&self) -> bool {
        use TaskStatus::*;
        matches!(
            self,
            Creating
                | Starting
                | BeingShutdown
                | BeingPoweroff
                | Restarting
                | Resetting
                | Deleting
                | DiskResizing
                | DiskAdding
                | DiskDeleting
                | SnapshotCreating
        )
    }

    /// An asynchronous step failed.
    pub fn is_error(&self) -> bool {
        self.as_str().ends_with("error")
    }

    /// All known statuses, for UIs that list them.
    pub fn known() -> impl Iterator<Item = &'static str> {
        STATUS_TABLE.iter().map(|(k, _)| *k)
    }
}

impl Serialize for TaskStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TaskStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(TaskStatus::parse(&de::string(d)?))
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VersionInfo {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub client_version: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineSummary {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub node_id: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub version: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineList {
    #[serde(default, deserialize_with = "de::list")]
    #[cfg_attr(feature = "specta", specta(type = Vec<MachineSummary>))]
    pub mining_nodes: Vec<MachineSummary>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CpuInfo {
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub kind: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub hz: String,
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub cores: u32,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub used_usage: String,
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub physical_cpus: u32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct GpuInfo {
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub gpu_count: u32,
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub gpu_used: u32,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MemInfo {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub size: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub free: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub used_usage: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemDisk {
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub kind: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub size: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataDisk {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub path: String,
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub kind: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub size: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub free: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub used_usage: String,
}

/// An image file. The node spells the name key `image_name:` (SPEC §5.15).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageEntry {
    #[serde(default, alias = "image_name:", deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub image_name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub image_size: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MachineInfo {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub version: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub node_type: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub ip: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub os: String,
    #[serde(default)]
    pub cpu: CpuInfo,
    #[serde(default)]
    pub gpu: GpuInfo,
    #[serde(default)]
    pub mem: MemInfo,
    #[serde(default)]
    pub disk_system: SystemDisk,
    #[serde(default, deserialize_with = "de::list")]
    #[cfg_attr(feature = "specta", specta(type = Vec<DataDisk>))]
    pub disk_data: Vec<DataDisk>,
    #[serde(default, deserialize_with = "de::list")]
    #[cfg_attr(feature = "specta", specta(type = Vec<ImageEntry>))]
    pub images: Vec<ImageEntry>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SessionIdReply {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub session_id: String,
}

/// Reply of task creation and one entry of the task list.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskSummary {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub task_id: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub create_time: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub desc: String,
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub status: TaskStatus,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskDisk {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub size: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub source_file: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NetInterface {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub name: String,
    #[serde(default, rename = "type", deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub kind: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub mac_address: String,
}

/// VM details (SPEC §5.4).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskDetail {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub task_id: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub os: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub ssh_ip: String,
    #[serde(default, deserialize_with = "de::opt_string")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub ssh_port: Option<String>,
    #[serde(default, deserialize_with = "de::opt_string")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub rdp_port: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub user_name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub login_password: String,
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub cpu_cores: u32,
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub gpu_count: u32,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub mem_size: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub disk_system: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub vnc_port: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub vnc_password: String,
    #[serde(default, deserialize_with = "de::opt_string")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub network_name: Option<String>,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub create_time: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub desc: String,
    #[serde(default)]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub status: TaskStatus,
    #[serde(default, deserialize_with = "de::opt_string")]
    #[cfg_attr(feature = "specta", specta(type = Option<String>))]
    pub rent_order: Option<String>,
    #[serde(default, deserialize_with = "de::strings")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub local_address: Vec<String>,
    #[serde(default, deserialize_with = "de::list")]
    #[cfg_attr(feature = "specta", specta(type = Vec<TaskDisk>))]
    pub disks: Vec<TaskDisk>,
    #[serde(default, deserialize_with = "de::strings")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub network_filters: Vec<String>,
    #[serde(default, deserialize_with = "de::list")]
    #[cfg_attr(feature = "specta", specta(type = Vec<NetInterface>))]
    pub interface: Vec<NetInterface>,
}

impl TaskDetail {
    pub fn is_windows(&self) -> bool {
        let os = self.os.to_ascii_lowercase();
        os.contains("win") || (self.rdp_port.is_some() && self.ssh_port.is_none())
    }

    /// The checked SSH command and RDP/VNC addresses (see [`crate::connect`]).
    pub fn connection(&self) -> crate::connect::Connection {
        crate::connect::connection(self)
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskLogs {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub task_id: String,
    #[serde(default, deserialize_with = "de::strings")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub log_content: Vec<String>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DiskEntry {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub file: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub size: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub snapshot_name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub description: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub snapshot_file: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub create_time: String,
    /// `creating`, `uploading` or `none` (finished); kept verbatim.
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub status: String,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImageServers {
    #[serde(default, deserialize_with = "de::strings")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub image_server: Vec<String>,
}

/// Download/upload progress: `{status, progress: "37%"}`.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TransferProgress {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub status: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub progress: String,
}

impl TransferProgress {
    /// Percent as a number (0–100) when the text parses.
    pub fn percent(&self) -> Option<f64> {
        self.progress
            .trim()
            .trim_end_matches('%')
            .trim()
            .parse()
            .ok()
    }
    pub fn is_done(&self) -> bool {
        self.status == "done"
    }
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RentOrder {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub id: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub renter: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub rent_end: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub rent_status: String,
    #[serde(default, deserialize_with = "de::number")]
    #[cfg_attr(feature = "specta", specta(type = u32))]
    pub gpu_nums: u32,
    #[serde(default, deserialize_with = "de::numbers")]
    #[cfg_attr(feature = "specta", specta(type = Vec<u32>))]
    pub gpu_index: Vec<u32>,
}

#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RentOrders {
    #[serde(default, deserialize_with = "de::list")]
    #[cfg_attr(feature = "specta", specta(type = Vec<RentOrder>))]
    pub rent_orders: Vec<RentOrder>,
}

/// A virtual LAN (SPEC §6).
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LanInfo {
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub network_name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub bridge_name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub vxlan_name: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub vxlan_vni: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub ip_cidr: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub ip_start: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub ip_end: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub dhcp_interface: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub machine_id: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub rent_wallet: String,
    #[serde(default, deserialize_with = "de::strings")]
    #[cfg_attr(feature = "specta", specta(type = Vec<String>))]
    pub members: Vec<String>,
    #[serde(default, rename = "lastUseTime", deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub last_use_time: String,
    #[serde(default, deserialize_with = "de::string")]
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub native_flags: String,
}

/// The LAN list comes as `{networks:[…]}` from the gateway and as a bare array from a node.
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LanList(pub Vec<LanInfo>);

impl<'de> Deserialize<'de> for LanList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            Wrapped { networks: Vec<LanInfo> },
            Bare(Vec<LanInfo>),
        }
        Ok(LanList(match Shape::deserialize(d)? {
            Shape::Wrapped { networks } => networks,
            Shape::Bare(v) => v,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn statuses_round_trip_and_unknown_kept() {
        for s in TaskStatus::known() {
            assert_eq!(TaskStatus::parse(s).as_str(), s);
        }
        let st: TaskStatus = serde_json::from_value(json!("hibernating")).unwrap();
        assert_eq!(st, TaskStatus::Other("hibernating".into()));
        assert_eq!(serde_json::to_value(&st).unwrap(), json!("hibernating"));
        assert!(TaskStatus::Creating.is_transitional());
        assert!(!TaskStatus::Running.is_transitional());
        assert!(TaskStatus::CreateError.is_error());
        assert!(!TaskStatus::Closed.is_error());
    }

    #[test]
    fn node_image_list_key_with_colon_decodes() {
        let v: Vec<ImageEntry> =
            serde_json::from_value(json!([{"image_name:": "a.qcow2", "image_size": "1G"}, {"image_name": "b.qcow2", "image_size": "2G"}])).unwrap();
        assert_eq!(v[0].image_name, "a.qcow2");
        assert_eq!(v[1].image_name, "b.qcow2");
    }

    #[test]
    fn task_detail_tolerates_numbers_strings_and_absence() {
        let d: TaskDetail = serde_json::from_value(json!({
            "task_id": "abc", "os": "linux", "ssh_ip": "1.2.3.4", "ssh_port": 20022,
            "user_name": "dbc", "cpu_cores": "8", "gpu_count": 1, "status": "running",
            "interface": []
        }))
        .unwrap();
        assert_eq!(d.cpu_cores, 8);
        assert_eq!(d.ssh_port.as_deref(), Some("20022"));
        assert_eq!(
            d.connection().ssh_command.unwrap(),
            "ssh -p 20022 dbc@1.2.3.4"
        );
        assert!(d.disks.is_empty() && d.rdp_port.is_none());
        let w: TaskDetail = serde_json::from_value(
            json!({"os":"windows","ssh_ip":"1.2.3.4","rdp_port":"3390","vnc_port":"5901"}),
        )
        .unwrap();
        let c = w.connection();
        assert_eq!(c.ssh_command, None);
        assert_eq!(c.rdp_address.unwrap(), "1.2.3.4:3390");
        assert_eq!(c.vnc_address.unwrap(), "1.2.3.4:5901");
    }

    #[test]
    fn machine_info_numbers_as_strings() {
        let m: MachineInfo = serde_json::from_value(json!({
            "version": "0.4.1.8", "cpu": {"cores": "64", "type": "EPYC"}, "gpu": {"gpu_count": "8", "gpu_used": "2"},
            "images": [{"image_name": "u.qcow2", "image_size": "12.5G"}]
        }))
        .unwrap();
        assert_eq!((m.cpu.cores, m.gpu.gpu_count, m.gpu.gpu_used), (64, 8, 2));
        assert_eq!(m.cpu.kind, "EPYC");
        assert_eq!(m.images[0].image_size, "12.5G");
    }

    #[test]
    fn lan_list_both_shapes_and_progress() {
        let a: LanList =
            serde_json::from_value(json!({"networks":[{"network_name":"testnet"}]})).unwrap();
        let b: LanList =
            serde_json::from_value(json!([{"network_name":"testnet","members":["t1"]}])).unwrap();
        assert_eq!(a.0[0].network_name, "testnet");
        assert_eq!(b.0[0].members, vec!["t1"]);
        let p: TransferProgress =
            serde_json::from_value(json!({"status":"downloading","progress":"37%"})).unwrap();
        assert_eq!(p.percent(), Some(37.0));
        assert!(!p.is_done());
    }
}
