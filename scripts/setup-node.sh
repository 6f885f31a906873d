#!/usr/bin/env bash
# Sets up a k8ts node for real containers on Debian/Ubuntu (docs/containers.md): installs
# containerd, runc, the CNI plugins, iptables, busybox-static and docker-registry; writes a
# containerd config (cgroupfs driver, restrict_oom_score_adj, CNI binaries in /usr/lib/cni, CRI
# stream server on 127.0.0.1, its own socket /run/k8ts/containerd/containerd.sock, never the
# system containerd's) and a CNI bridge conflist for the node's pod CIDR; builds the busybox test
# images (httpd, shell, pause) and imports them into containerd (pause is the sandbox image);
# starts containerd (a systemd unit when systemd is PID 1, else a background process with a pid
# file). With --registry it also runs a loopback registry on 127.0.0.1:<port> and pushes the images.
# Idempotent: run it again and it only does what is missing; it says what it did.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: scripts/setup-node.sh [options]
  --pod-cidr CIDR      the node's pod range for the CNI bridge (default 10.88.1.0/24; pass the same
                       value to `k8ts server|node --pod-cidr`)
  --registry           also run a loopback docker-registry and push the test images to it
  --registry-port N    its port on 127.0.0.1 (default 5000)
  --stream-port N      containerd's CRI stream server port on 127.0.0.1 (default 10010)
  --bridge NAME        the CNI bridge (default k8tscd0)
  --prefix DIR         put /etc, /run and /var paths below DIR (trying it out without touching /)
  --no-install         do not apt-get install; fail if something is missing
  --stop               stop the containerd (and registry) this script started; pods keep running
EOF
}

POD_CIDR=10.88.1.0/24 REGISTRY=0 REGISTRY_PORT=5000 STREAM_PORT=10010 BRIDGE=k8tscd0 PREFIX="" INSTALL=1 STOP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --pod-cidr) POD_CIDR=$2; shift 2 ;;
    --registry) REGISTRY=1; shift ;;
    --registry-port) REGISTRY_PORT=$2; shift 2 ;;
    --stream-port) STREAM_PORT=$2; shift 2 ;;
    --bridge) BRIDGE=$2; shift 2 ;;
    --prefix) PREFIX=$(realpath -m "$2"); shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    --stop) STOP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ $POD_CIDR =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]] || { echo "invalid --pod-cidr $POD_CIDR" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "run as root (containerd, CNI and cgroups need it)" >&2; exit 1; }

REPO=$(cd "$(dirname "$0")/.." && pwd)
ETC=$PREFIX/etc/k8ts RUN=$PREFIX/run/k8ts LIB=$PREFIX/var/lib/k8ts LOG=$PREFIX/var/log/k8ts
SOCKET=$RUN/containerd/containerd.sock
CONFIG=$ETC/containerd/config.toml
CD_PID=$RUN/containerd/containerd.pid REG_PID=$RUN/registry.pid
REGISTRY_ADDR=127.0.0.1:$REGISTRY_PORT
SANDBOX_IMAGE=$REGISTRY_ADDR/k8ts/pause:v1
UNIT=/etc/systemd/system/k8ts-containerd.service
say() { echo "setup-node: $*"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
systemd_pid1() { [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && [ -z "$PREFIX" ]; }

if [ "$STOP" = 1 ]; then
  if systemd_pid1 && [ -f "$UNIT" ]; then systemctl stop k8ts-containerd && say "stopped k8ts-containerd.service"; fi
  for f in "$CD_PID" "$REG_PID"; do
    if alive "$f"; then kill "$(cat "$f")"; say "stopped pid $(cat "$f") ($f)"; fi
    rm -f "$f"
  done
  exit 0
fi

# 1. packages
need=()
for p in containerd runc containernetworking-plugins iptables busybox-static docker-registry; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$INSTALL" = 1 ] || { echo "missing packages: ${need[*]} (run without --no-install)" >&2; exit 1; }
  say "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  say "packages present"
fi
command -v gcc >/dev/null || say "no gcc: the pause image will use busybox sleep (does not reap zombies)"

# 2. config files (rewritten only when their content changes)
changed=0
put() { # put FILE CONTENT
  mkdir -p "$(dirname "$1")"
  if [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; then return; fi
  printf '%s\n' "$2" > "$1"; changed=1; say "wrote $1"
}
mkdir -p "$RUN/containerd" "$LIB/containerd" "$LIB/cni/ipam" "$LOG"
CRI='plugins."io.containerd.grpc.v1.cri"'
put "$CONFIG" "version = 2
root = \"$LIB/containerd\"
state = \"$RUN/containerd/state\"
disabled_plugins = [\"io.containerd.snapshotter.v1.btrfs\", \"io.containerd.snapshotter.v1.zfs\", \"io.containerd.snapshotter.v1.devmapper\", \"io.containerd.snapshotter.v1.aufs\"]

[grpc]
  address = \"$SOCKET\"

[plugins.\"io.containerd.internal.v1.opt\"]
  path = \"$LIB/containerd-opt\"

[$CRI]
  sandbox_image = \"$SANDBOX_IMAGE\"
  stream_server_address = \"127.0.0.1\"
  stream_server_port = \"$STREAM_PORT\"
  enable_selinux = false
  disable_apparmor = true
  # without CAP_SYS_RESOURCE runc cannot lower oom_score_adj and every sandbox fails
  restrict_oom_score_adj = true
  max_container_log_line_size = 16384
  [$CRI.containerd]
    snapshotter = \"overlayfs\"
    default_runtime_name = \"runc\"
    [$CRI.containerd.runtimes.runc]
      runtime_type = \"io.containerd.runc.v2\"
      [$CRI.containerd.runtimes.runc.options]
        BinaryName = \"/usr/sbin/runc\"
        SystemdCgroup = false
  [$CRI.cni]
    bin_dir = \"/usr/lib/cni\"
    conf_dir = \"$ETC/cni/net.d\"
    max_conf_num = 1
  [$CRI.registry]
    config_path = \"$ETC/containerd/certs.d\""
put "$ETC/containerd/certs.d/$REGISTRY_ADDR/hosts.toml" "server = \"http://$REGISTRY_ADDR\"

[host.\"http://$REGISTRY_ADDR\"]
  capabilities = [\"pull\", \"resolve\"]
  skip_verify = true"
put "$ETC/cni/net.d/10-k8ts.conflist" "{
  \"cniVersion\": \"1.0.0\",
  \"name\": \"k8ts-pods\",
  \"plugins\": [
    { \"type\": \"bridge\", \"bridge\": \"$BRIDGE\", \"isGateway\": true, \"ipMasq\": false, \"hairpinMode\": true,
      \"ipam\": { \"type\": \"host-local\", \"ranges\": [[{ \"subnet\": \"$POD_CIDR\" }]], \"routes\": [{ \"dst\": \"0.0.0.0/0\" }],
                \"dataDir\": \"$LIB/cni/ipam\" } },
    { \"type\": \"portmap\", \"capabilities\": { \"portMappings\": true } }
  ]
}"

# 3. containerd
# /run/netns must be a mount point before containerd mounts a pod's network namespace there: the
# first `ip netns add` on a host (the process runtime, or anyone) bind-mounts the directory on
# itself, and namespaces mounted under it before that can then never be unlinked (EBUSY).
if ! awk '$5 == "/run/netns" || $5 == "/var/run/netns" { found = 1 } END { exit !found }' /proc/self/mountinfo; then
  ip netns add "k8ts-prime-$$" && ip netns delete "k8ts-prime-$$"
fi
wait_socket() {
  for _ in $(seq 1 300); do ctr --address "$SOCKET" version >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "containerd did not answer on $SOCKET; see $LOG/containerd.log" >&2; exit 1
}
if systemd_pid1; then
  put "$UNIT" "[Unit]
Description=containerd for k8ts (CRI on $SOCKET)
After=network.target

[Service]
ExecStart=/usr/bin/containerd --config $CONFIG
Restart=always
Delegate=yes
KillMode=process
LimitNOFILE=1048576

[Install]
WantedBy=multi-user.target"
  systemctl daemon-reload
  if systemctl is-active -q k8ts-containerd && [ "$changed" = 1 ]; then systemctl restart k8ts-containerd; say "restarted k8ts-containerd.service (config changed)"
  elif systemctl is-active -q k8ts-containerd; then say "k8ts-containerd.service already running"
  else systemctl enable -q --now k8ts-containerd; say "started k8ts-containerd.service"; fi
else
  if alive "$CD_PID" && [ "$changed" = 1 ]; then
    kill "$(cat "$CD_PID")"; for _ in $(seq 1 100); do alive "$CD_PID" || break; sleep 0.05; done
    say "stopped containerd pid $(cat "$CD_PID") (config changed)"; rm -f "$CD_PID"
  fi
  if alive "$CD_PID"; then say "containerd already running (pid $(cat "$CD_PID"))"
  else
    # setsid: the daemon must outlive this shell and its terminal. Shims survive a containerd restart.
    setsid /usr/bin/containerd --config "$CONFIG" >>"$LOG/containerd.log" 2>&1 < /dev/null &
    echo $! > "$CD_PID"; say "started containerd pid $(cat "$CD_PID") (log $LOG/containerd.log)"
  fi
fi
wait_socket

# 4. registry (optional)
if [ "$REGISTRY" = 1 ]; then
  put "$ETC/registry/config.yml" "version: 0.1
log: { level: warn }
storage: { filesystem: { rootdirectory: $LIB/registry }, delete: { enabled: true } }
http: { addr: $REGISTRY_ADDR }"
  if alive "$REG_PID"; then say "registry already running (pid $(cat "$REG_PID"))"
  else
    setsid /usr/bin/docker-registry serve "$ETC/registry/config.yml" >>"$LOG/registry.log" 2>&1 < /dev/null &
    echo $! > "$REG_PID"; say "started docker-registry on $REGISTRY_ADDR pid $(cat "$REG_PID")"
  fi
fi

# 5. images: built from busybox-static; imported into containerd so the sandbox image is there
# without any registry, and pushed to the registry when there is one.
command -v node >/dev/null && [ -d "$REPO/node_modules/tsx" ] || { echo "node and the repo's node_modules (npm ci) are needed to build the images" >&2; exit 1; }
IMG=$LIB/images
if [ "$REGISTRY" = 1 ]; then
  (cd "$REPO" && node --import tsx scripts/images/push-images.ts --registry "$REGISTRY_ADDR" --work-dir "$IMG" >/dev/null)
  say "pushed $REGISTRY_ADDR/k8ts/{httpd,shell,pause}:v1"
else
  (cd "$REPO" && node --import tsx scripts/images/push-images.ts --build-only --work-dir "$IMG" >/dev/null)
fi
for name in httpd shell pause; do
  if ctr --address "$SOCKET" -n k8s.io images check "name==$REGISTRY_ADDR/k8ts/$name:v1" 2>/dev/null | grep -q complete; then
    say "image $REGISTRY_ADDR/k8ts/$name:v1 present"
  else
    tar -C "$IMG/oci/$name" -cf - . | ctr --address "$SOCKET" -n k8s.io images import --base-name "$REGISTRY_ADDR/k8ts/$name" - >/dev/null
    say "imported $REGISTRY_ADDR/k8ts/$name:v1 into containerd"
  fi
done

cat <<EOF
setup-node: ready. containerd CRI socket: $SOCKET (stream server 127.0.0.1:$STREAM_PORT), pod CIDR $POD_CIDR on bridge $BRIDGE
  k8ts server --runtime containerd --cri-socket $SOCKET --pod-cidr $POD_CIDR
  kubectl create deployment web --image=$REGISTRY_ADDR/k8ts/httpd:v1
EOF
