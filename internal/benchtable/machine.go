package benchtable

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine is what the figures depend on besides the code.
type Machine struct {
	CPU       string
	Cores     int
	GoVersion string
	Cgo       bool
	// Load is the 1-minute load average when the run started (-1 unknown):
	// other work on the machine moves every figure.
	Load float64
	Date time.Time
}

// ThisMachine describes the machine the process runs on.
func ThisMachine() Machine {
	return Machine{
		CPU:       cpuModel(),
		Cores:     runtime.NumCPU(),
		GoVersion: runtime.Version(),
		Cgo:       cgoEnabled,
		Load:      loadAverage(),
		Date:      time.Now().UTC(),
	}
}

func (m Machine) String() string {
	cgo := "off"
	if m.Cgo {
		cgo = "on"
	}
	load := "unknown"
	if m.Load >= 0 {
		load = fmt.Sprintf("%.2f", m.Load)
	}
	return fmt.Sprintf("%s, %d cores, %s %s/%s, cgo %s, load %s, %s",
		m.CPU, m.Cores, m.GoVersion, runtime.GOOS, runtime.GOARCH, cgo, load, m.Date.Format("2006-01-02 15:04 MST"))
}

// cpuModel reads the first "model name" of /proc/cpuinfo.
func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}

// loadAverage is the first field of /proc/loadavg, -1 when unreadable.
func loadAverage() float64 {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	fields := strings.Fields(string(data))
	if len(fields) == 0 {
		return -1
	}
	v, err := strconv.ParseFloat(fields[0], 64)
	if err != nil {
		return -1
	}
	return v
}
