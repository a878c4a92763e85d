"""Job bus code generated from specs/jobs/ by watchparty.codegen.jobs. Never edit.

`api` is the API server's side (publishes jobs, receives results) and `worker` the video
worker's side (receives jobs, publishes results). Use them through watchparty.bus.jobs.
"""
