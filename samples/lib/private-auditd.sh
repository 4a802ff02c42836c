# A private auditd for recording scripts (sourced, not run): its own auditd.conf and plugin
# directory under $TMPD, its log where the caller says, never the system's /etc/audit.
# The caller defines die() and TMPD, and keeps AUDITD_PID for its cleanup trap.

# auditctl -s prints "key value" lines.
audit_status() { auditctl -s 2>/dev/null | awk -v k="$1" '$1 == k { print $2 }'; }

start_auditd() { # LOG_FILE FORMAT(RAW|ENRICHED)
    local conf=$TMPD/conf plugins=$TMPD/plugins
    rm -rf "$conf" "$plugins"
    mkdir -m 700 "$conf" "$plugins"
    mkdir -p /var/run
    cat > "$conf/auditd.conf" <<CONF
local_events = yes
write_logs = yes
log_file = $1
log_group = root
log_format = $2
flush = INCREMENTAL_ASYNC
freq = 50
max_log_file = 1024
num_logs = 5
priority_boost = 0
name_format = NONE
max_log_file_action = ROTATE
space_left = 2
space_left_action = IGNORE
verify_email = no
action_mail_acct = root
admin_space_left = 1
admin_space_left_action = SUSPEND
disk_full_action = SUSPEND
disk_error_action = SUSPEND
use_libwrap = no
tcp_listen_queue = 5
tcp_max_per_addr = 1
tcp_client_max_idle = 0
transport = TCP
distribute_network = no
q_depth = 2000
overflow_action = IGNORE
max_restarts = 0
plugin_dir = $plugins
end_of_event_timeout = 2
CONF
    chmod 600 "$conf/auditd.conf"
    # -n: no fork, events go to log_file (-f would send them to stdout).
    auditd -n -s enable -c "$conf" > "$TMPD/auditd.out" 2>&1 &
    AUDITD_PID=$!
    local i
    for i in $(seq 100); do
        grep -qs 'type=DAEMON_START' "$1" && return 0
        kill -0 "$AUDITD_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$TMPD/auditd.out" >&2 || true
    die "auditd did not start (no DAEMON_START in $1)"
}

# Wait until the kernel queue is empty and the log stopped growing.
settle() { # LOG_FILE
    local i prev=-1 cur
    for i in $(seq 100); do
        sleep 0.3
        cur=$(stat -c %s "$1" 2>/dev/null || echo 0)
        [[ $(audit_status backlog) == 0 && $cur == "$prev" ]] && return 0
        prev=$cur
    done
}

stop_auditd() {
    kill -TERM "$AUDITD_PID"
    wait "$AUDITD_PID" || true
    AUDITD_PID=
}
