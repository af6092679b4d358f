// Package assets embeds the default course that kaizen runs when no --course is given.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed all:course
var courseFS embed.FS

// Course returns the embedded default course as a file system rooted at its course.yaml.
func Course() fs.FS {
	sub, err := fs.Sub(courseFS, "course")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory exists
	}
	return sub
}
