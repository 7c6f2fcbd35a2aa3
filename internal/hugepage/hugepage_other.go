//go:build !linux

package hugepage

func size() uintptr { return 0 }

func supported() bool { return false }

func advise(lo, hi uintptr) int64 { return 0 }

func background() bool { return false }
