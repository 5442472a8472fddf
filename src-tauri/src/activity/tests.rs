use super::*;

fn act(kind: ActivityKind) -> Activity {
    Activity::new("a1".into(), kind, "m1", "task1", None, 0.0)
}

fn down() -> Problem {
    Problem::Read {
        key: "transport".into(),
        params: [("detail".to_string(), "connection refused".to_string())].into(),
    }
}

fn vm(s: TaskStatus) -> Result<Observation, Problem> {
    Ok(Observation::Vm(s))
}

#[test]
fn create_runs_until_the_vm_runs_and_ends_once() {
    let mut a = act(ActivityKind::VmCreate);
    assert!(!a.observe(vm(TaskStatus::Creating), 1_000.0));
    assert_eq!(a.state, ActivityState::Running);
    assert_eq!(a.status, "creating");
    assert!(a.observe(vm(TaskStatus::Running), 3_000.0));
    assert_eq!(a.state, ActivityState::Done);
    assert_eq!(a.ended_ms, Some(3_000.0));
    // an ended activity takes nothing more and does not end again
    assert!(!a.observe(vm(TaskStatus::CreateError), 4_000.0));
    assert_eq!(a.state, ActivityState::Done);
}

#[test]
fn the_operations_error_state_fails_it_with_the_nodes_word() {
    let mut a = act(ActivityKind::VmStart);
    assert!(a.observe(vm(TaskStatus::StartError), 1_000.0));
    assert_eq!(a.state, ActivityState::Failed);
    assert_eq!(
        a.problem,
        Some(Problem::NodeStatus {
            status: "start error".into()
        })
    );
}

#[test]
fn restart_is_done_only_after_the_restart_was_seen_or_the_vm_settled_a_while() {
    let mut a = act(ActivityKind::VmRestart);
    // still "running" from before the restart: not done yet
    assert!(!a.observe(vm(TaskStatus::Running), 1_000.0));
    assert!(!a.observe(vm(TaskStatus::Restarting), 2_000.0));
    assert!(a.observe(vm(TaskStatus::Running), 3_000.0));
    assert_eq!(a.state, ActivityState::Done);

    // a restart quicker than the first check: done once settled for the settle time
    let mut b = act(ActivityKind::VmRestart);
    assert!(!b.observe(vm(TaskStatus::Running), 1_000.0));
    assert!(b.observe(vm(TaskStatus::Running), 8_000.0));
}

#[test]
fn disk_work_ends_when_the_vm_is_back_at_rest() {
    let mut a = act(ActivityKind::DiskAdd);
    assert!(!a.observe(vm(TaskStatus::DiskAdding), 1_000.0));
    assert!(a.observe(vm(TaskStatus::Closed), 2_500.0));
    let mut b = act(ActivityKind::DiskResize);
    assert!(b.observe(vm(TaskStatus::ResizeDiskError), 1_000.0));
    assert_eq!(b.state, ActivityState::Failed);
}

#[test]
fn delete_is_done_when_the_vm_is_gone_and_other_work_fails_then() {
    let mut a = act(ActivityKind::VmDelete);
    assert!(!a.observe(vm(TaskStatus::Deleting), 1_000.0));
    assert!(!a.observe(vm(TaskStatus::Closed), 2_000.0));
    assert!(a.observe(Ok(Observation::VmGone), 3_000.0));
    assert_eq!(a.state, ActivityState::Done);
    let mut b = act(ActivityKind::VmStart);
    assert!(b.observe(Ok(Observation::VmGone), 1_000.0));
    assert_eq!(b.state, ActivityState::Failed);
    assert_eq!(b.problem, Some(Problem::VmGone));
    let (_, body) = ended_text(&b, Lang::En);
    assert_eq!(body, "task1: the VM is no longer on the machine");
}

#[test]
fn read_errors_back_off_and_never_end_an_activity_by_themselves() {
    let mut a = act(ActivityKind::VmCreate);
    let mut last = 0.0;
    for i in 1..=6 {
        let now = f64::from(i) * 1_000.0;
        assert!(!a.observe(Err(down()), now));
        let wait = a.next_check_ms - now;
        assert!(
            wait > last || wait == 60_000.0,
            "back-off grows: {wait} after {last}"
        );
        last = wait;
    }
    assert_eq!(a.state, ActivityState::Running);
    assert_eq!(a.problem, Some(down()));
    // a good read clears the error and the schedule
    assert!(!a.observe(vm(TaskStatus::Creating), 100_000.0));
    assert_eq!(a.problem, None);
    assert_eq!(a.errors, 0);
}

#[test]
fn the_schedule_starts_quick_and_slows_to_the_kinds_cap() {
    assert_eq!(next_delay_ms(ActivityKind::VmCreate, 0, 0), 1_000.0);
    assert!(
        next_delay_ms(ActivityKind::VmCreate, 3, 0) > next_delay_ms(ActivityKind::VmCreate, 2, 0)
    );
    assert_eq!(next_delay_ms(ActivityKind::VmCreate, 50, 0), 20_000.0);
    assert_eq!(next_delay_ms(ActivityKind::ImageDownload, 50, 0), 5_000.0);
    assert_eq!(next_delay_ms(ActivityKind::VmCreate, 0, 1), 2_000.0);
    assert_eq!(next_delay_ms(ActivityKind::VmCreate, 0, 30), 60_000.0);
}

#[test]
fn patience_runs_out_into_stopped_checking_and_check_again_resumes() {
    let mut a = act(ActivityKind::VmStart);
    let late = ActivityKind::VmStart.patience_ms() + 1.0;
    assert!(a.observe(vm(TaskStatus::Starting), late));
    assert_eq!(a.state, ActivityState::StoppedChecking);
    a.recheck(late + 10.0);
    assert!(a.due(late + 10.0));
    assert!(a.observe(vm(TaskStatus::Running), late + 20.0));
    assert_eq!(a.state, ActivityState::Done);
}

#[test]
fn transfers_report_percent_speed_and_an_eta() {
    let mut a = Activity::new(
        "t".into(),
        ActivityKind::ImageDownload,
        "m",
        "img.qcow2",
        None,
        0.0,
    );
    assert_eq!(a.percent, Some(0.0));
    let t = |p: &str| -> Result<Observation, Problem> {
        Ok(Observation::Transfer {
            done: false,
            percent: p.parse().ok(),
            status: "downloading".into(),
        })
    };
    // 10 % in the first minute
    assert!(!a.observe(t("10"), 60_000.0));
    assert_eq!(a.percent, Some(10.0));
    assert_eq!(a.percent_per_min, Some(10.0));
    assert_eq!(a.eta_secs, Some(9.0 * 60.0));
    // an unreadable reply keeps the last percent
    assert!(!a.observe(t("?"), 70_000.0));
    assert_eq!(a.percent, Some(10.0));
    assert!(a.observe(
        Ok(Observation::Transfer {
            done: true,
            percent: None,
            status: "done".into()
        }),
        80_000.0
    ));
    assert_eq!(
        (a.state, a.percent, a.eta_secs),
        (ActivityState::Done, Some(100.0), None)
    );
}

#[test]
fn lan_is_done_once_listed() {
    let mut a = act(ActivityKind::LanCreate);
    assert!(!a.observe(Ok(Observation::Lan(false)), 1_000.0));
    assert!(a.observe(Ok(Observation::Lan(true)), 2_000.0));
}

#[test]
fn prune_keeps_running_ones_and_the_newest_ended() {
    let mut list: Vec<Activity> = (0..KEEP_ENDED + 5)
        .map(|i| {
            let mut a = Activity::new(
                format!("e{i}"),
                ActivityKind::LanCreate,
                "m",
                "lan",
                None,
                0.0,
            );
            a.observe(Ok(Observation::Lan(true)), i as f64);
            a
        })
        .collect();
    list.push(Activity::new(
        "run".into(),
        ActivityKind::VmStart,
        "m",
        "t",
        None,
        0.0,
    ));
    prune(&mut list);
    assert_eq!(list.len(), KEEP_ENDED + 1);
    assert!(list.iter().any(|a| a.id == "run"));
    assert!(
        !list.iter().any(|a| a.id == "e0"),
        "the oldest ended go first"
    );
}

#[test]
fn a_saved_activity_reads_back_the_same() {
    let mut a = act(ActivityKind::SnapshotCreate);
    a.detail = Some("snap1".into());
    a.observe(vm(TaskStatus::SnapshotCreating), 1_000.0);
    let back: Activity = serde_json::from_value(serde_json::to_value(&a).unwrap()).unwrap();
    assert_eq!(back, a);
}

#[test]
fn a_stopped_transfer_ends_as_stopped_and_a_later_done_does_not_change_that() {
    let mut a = Activity::new("t".into(), ActivityKind::ImageUpload, "m", "img", None, 0.0);
    a.stopped(1_000.0);
    assert_eq!(a.state, ActivityState::Stopped);
    assert!(!a.observe(
        Ok(Observation::Transfer {
            done: true,
            percent: None,
            status: "done".into()
        }),
        2_000.0
    ));
    assert_eq!(a.state, ActivityState::Stopped);
}

#[test]
fn the_notification_says_what_ended_in_the_users_language() {
    let mut a = Activity::new(
        "t".into(),
        ActivityKind::ImageDownload,
        "m",
        "img.qcow2",
        Some("srv".into()),
        0.0,
    );
    a.observe(
        Ok(Observation::Transfer {
            done: true,
            percent: None,
            status: "done".into(),
        }),
        1.0,
    );
    let (title, body) = ended_text(&a, Lang::En);
    assert_eq!(title, "Download image: done");
    assert_eq!(body, "img.qcow2 (srv)");
    let (zh, _) = ended_text(&a, Lang::ZhCn);
    assert_eq!(zh, "下载镜像：已完成");
}
