// Whether a file changed, without reading it: for the files the server
// reloads when Kubernetes rewrites a mounted secret (certificates, the
// access file).
#pragma once

#include <string>

namespace horizonscale::server {

// What identifies the file's current contents: its inode, size and
// modification and change times in nanoseconds (a rewrite within one second
// shows; Kubernetes swaps a secret's symlink, which changes the inode).
// "-" for a path that is empty or cannot be stat()ed.
std::string FileSignature(const std::string& path);

}  // namespace horizonscale::server
