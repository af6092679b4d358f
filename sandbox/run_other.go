//go:build !linux

package sandbox

import (
	"context"
	"os"
	"runtime"
)

// Run runs spec.Argv in spec.Dir under the layers this system offers and reports what
// happened. Outside Linux that is the portable set only (environment, timeout, process-group
// kill, output cap); see the package documentation.
func Run(ctx context.Context, spec Spec) (Result, error) {
	s, err := normalize(spec)
	if err != nil {
		return Result{}, err
	}
	rep := &report{}
	why := "not implemented on " + runtime.GOOS
	for _, l := range []string{LayerHelper, LayerRlimits, LayerLandlock, LayerSeccomp, LayerPidNS, LayerNetNS, LayerMountNS, LayerDiskQuota} {
		rep.miss(l, why)
	}
	return runPlain(ctx, s, rep)
}

func helperMain() {
	os.Stderr.WriteString("kaizen: the sandbox helper runs on Linux only\n")
	os.Exit(125)
}
