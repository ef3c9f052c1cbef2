// The Go client of HorizonScale: code generated from proto/ (gen/, never
// committed), the hsclient helpers and the examples. It builds offline, in
// vendor mode, against Debian's Go packages: assemble.sh links vendor/ to
// them, so the versions below are the ones Debian bookworm ships.
module horizonscale.dev/client

go 1.19

require (
	github.com/golang/protobuf v1.5.2
	google.golang.org/genproto v0.0.0-20200413115906-b5235f65be36
	google.golang.org/grpc v1.33.3
	google.golang.org/protobuf v1.28.1
)

require (
	golang.org/x/net v0.7.0 // indirect
	golang.org/x/sys v0.3.0 // indirect
	golang.org/x/text v0.7.0 // indirect
)
