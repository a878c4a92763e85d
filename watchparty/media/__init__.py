"""Media tools: container sniffing and the ffprobe/ffmpeg work of video processing."""
