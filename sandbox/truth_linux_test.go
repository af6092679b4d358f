package sandbox_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kaizen-mlops/kaizen/sandbox"
)

// truthProbe prints what the command can observe, one key=value per line.
const truthProbe = `
echo "uid=$(id -u)"
echo "uidmap=$(tr -s ' ' < /proc/self/uid_map 2>/dev/null | tr '\n' ';')"
echo "procs=$(ls /proc 2>/dev/null | grep -c '^[0-9]')"
kill -0 "$TESTPID" 2>/dev/null && echo seehost=yes || echo seehost=no
[ -e "$SECRET" ] && echo secret=visible || echo secret=absent
cat "$SECRET" >/dev/null 2>&1 && echo secretread=yes || echo secretread=no
(echo probe > /proc/self/comm) 2>/dev/null && echo proccomm=writable || echo proccomm=denied
kill -0 $PPID 2>/dev/null && echo signalparent=yes || echo signalparent=no
echo "cgroup=$(cat /proc/self/cgroup 2>/dev/null | tr '\n' ';')"
echo "limits=$(ulimit -t) $(ulimit -v) $(ulimit -f) $(ulimit -n) $(ulimit -u)"
echo "df=$(df -B1 --output=size . 2>/dev/null | tail -1 | tr -d ' ')"
echo "tmpdir=$TMPDIR"
touch "/tmp/$MARK" 2>/dev/null; touch "$TMPDIR/$MARK" 2>/dev/null
python3 -c '
import ctypes, errno, os, socket
def err(f):
    try:
        f(); return "ok"
    except OSError as e:
        return str(e.errno)
print("tcp=" + err(lambda: socket.create_connection(("127.0.0.1", int(os.environ["PORT"])), timeout=1).close()))
libc = ctypes.CDLL(None, use_errno=True)
r = libc.unshare(0x10000000)
print("unshare=" + ("ok" if r == 0 else str(ctypes.get_errno())))
'
`

// TestLayersHold checks that every layer a Result claims really held, in each mode this
// machine can run: a report that says "netns" while the host is reachable is the worst
// failure the sandbox can have.
func TestLayersHold(t *testing.T) {
	t.Parallel()
	key, _ := secrets(t)
	h := listenHost(t)
	cases := []struct {
		name    string
		disable []string
		network sandbox.Network
	}{
		{"full", nil, sandbox.NetworkNone},
		{"loopback", nil, sandbox.NetworkLoopback},
		{"no-namespaces", []string{sandbox.LayerNamespaces}, sandbox.NetworkNone},
		{"landlock-only", []string{sandbox.LayerNamespaces, sandbox.LayerSeccomp, sandbox.LayerCgroup}, sandbox.NetworkNone},
		{"namespaces-only", []string{sandbox.LayerLandlock, sandbox.LayerSeccomp, sandbox.LayerCgroup}, sandbox.NetworkNone},
		{"rlimits-only", []string{sandbox.LayerNamespaces, sandbox.LayerLandlock, sandbox.LayerSeccomp, sandbox.LayerCgroup}, sandbox.NetworkNone},
		{"no-helper", []string{sandbox.LayerHelper}, sandbox.NetworkNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			mark := fmt.Sprintf("kaizen-truth-%d", time.Now().UnixNano())
			s := sh(t, truthProbe)
			s.Disable, s.Network = c.disable, c.network
			s.Env = map[string]string{"TESTPID": strconv.Itoa(os.Getpid()), "SECRET": key, "MARK": mark, "PORT": strconv.Itoa(h.tcpPort)}
			s.CPUTime, s.MemoryBytes, s.MaxFileSize, s.MaxOpenFiles, s.MaxProcs = 3*time.Second, 300<<20, 5<<20, 100, 40
			s.DiskBytes = 32 << 20
			res := run(t, s)
			obs := map[string]string{}
			for _, line := range strings.Split(string(res.Stdout), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok {
					obs[k] = v
				}
			}
			defer os.Remove("/tmp/" + mark)
			check := func(layer string, ok bool, what string) {
				t.Helper()
				if res.Has(layer) && !ok {
					t.Errorf("%s claimed, but %s\n%s", layer, what, dump(res))
				}
			}
			check(sandbox.LayerUserNS, obs["uidmap"] != "" && obs["uidmap"] != " 0 0 4294967295;" && obs["uidmap"] != "0 0 4294967295;", "uid_map is "+obs["uidmap"])
			procs, _ := strconv.Atoi(obs["procs"])
			check(sandbox.LayerPidNS, obs["seehost"] == "no" && procs < 20, fmt.Sprintf("it sees the host (%s, %d processes)", obs["seehost"], procs))
			check(sandbox.LayerNetNS, obs["tcp"] != "ok" && h.tcp.Load() == 0, "it reached the host's listener: "+obs["tcp"])
			check(sandbox.LayerMountNS, obs["secret"] == "absent", "the secret's path is "+obs["secret"])
			check(sandbox.LayerLandlock, obs["proccomm"] == "denied" && obs["secretread"] == "no", "it wrote /proc/self/comm ("+obs["proccomm"]+") or read the secret ("+obs["secretread"]+")")
			// Without a network namespace seccomp refuses the socket itself (EPERM) before
			// Landlock sees a connect; the landlock-only case checks Landlock alone.
			seccompFirst := res.Has(sandbox.LayerSeccomp) && !res.Has(sandbox.LayerNetNS) && obs["tcp"] == "1"
			check(sandbox.LayerLandlockTCP, obs["tcp"] == "13" || seccompFirst, "connect failed with errno "+obs["tcp"]+", not Landlock's EACCES")
			check(sandbox.LayerLandlockScope, obs["signalparent"] == "no", "it could signal its supervisor")
			check(sandbox.LayerSeccomp, obs["unshare"] == "1", "unshare(CLONE_NEWUSER) gave "+obs["unshare"])
			wantLimits := fmt.Sprintf("%d %d %d %d", 3, 300<<10, 5<<10, 100)
			check(sandbox.LayerRlimits, strings.HasPrefix(obs["limits"], wantLimits+" "), "ulimit shows "+obs["limits"]+", want "+wantLimits+" …")
			check(sandbox.LayerNproc, res.Has(sandbox.LayerCgroup) || !strings.HasSuffix(obs["limits"], " unlimited"), "no process limit: "+obs["limits"])
			// Without a pid namespace Landlock denies /proc; TestAttackForkCount then shows the
			// cgroup's pids limit holding (root is exempt from RLIMIT_NPROC).
			check(sandbox.LayerCgroup, obs["cgroup"] == "" || strings.Contains(obs["cgroup"], "kaizen-sbx-"), "its cgroup is "+obs["cgroup"])
			check(sandbox.LayerDiskQuota, obs["df"] == strconv.Itoa(32<<20), "its work dir has "+obs["df"]+" bytes")
			_, hostTmpErr := os.Stat("/tmp/" + mark)
			check(sandbox.LayerPrivateTmp, os.IsNotExist(hostTmpErr) && obs["tmpdir"] != "", "it wrote to the host's /tmp")
			check(sandbox.LayerUnprivUID, obs["uid"] != "0", "it runs as uid "+obs["uid"])
			if res.Level == sandbox.LevelStrict && (obs["secret"] != "absent" || obs["seehost"] != "no") {
				t.Errorf("strict, yet the host shows through: %s", dump(res))
			}
			t.Logf("%s: %s", c.name, res.Isolation())
		})
	}
}
