/* Generated from specs/asyncapi.yaml by @asyncapi/html-template (inputs sha256 005e1413348abfadeb6d0384a4282e81); never edit. */

    const schema = {
  "asyncapi": "3.0.0",
  "info": {
    "title": "Watch Party API realtime",
    "version": "0.1.0",
    "description": "Realtime channels of the Watch Party API (DESIGN §4).\n\n**Connecting.** Authenticate with `?token=<access JWT>` or the subprotocol header\n`Sec-WebSocket-Protocol: bearer, <access JWT>` (the server answers with `bearer`).\nClose codes: 4401 bad, missing or expired token; 4403 not allowed (not a participant,\nor an Origin that is not allowed); 4404 unknown party; 1008 flooding (per-socket rate\nlimit); 1009 frame too large.\n\n**Envelope.** Every frame, both directions, is\n`{\"type\": \"<message type>\", \"id\": \"<client message id>\", \"payload\": {...}}`; frames the\nserver sends add `\"ts\"` (server time, ms since the epoch). A frame the server cannot\naccept (invalid JSON, unknown type, invalid payload, not allowed) is answered with an\n`error` frame whose `ref` is the offending frame's `id`; the socket stays open.\n\n**Clock sync.** Send `sync.ping {client_ts: t0}` (your clock, ms); the server answers\n`sync.pong {client_ts: t0, server_ts: ts}`. On receipt at your time t1:\n`rtt = t1 - t0` and `offset = ts - (t0 + t1) / 2` (server clock minus yours). Keep the\nsample with the smallest RTT of the last few.\n\n**Playback position.** The server owns `playback.state {status, position, rate, ref_ts}`.\nWhile playing, the room position at your time `now` is\n`position + ((now + offset) - ref_ts) / 1000 * rate`; while paused it is `position`.\n"
  },
  "defaultContentType": "application/json",
  "servers": {
    "local": {
      "host": "localhost:8000",
      "protocol": "ws",
      "description": "`watchparty serve` on its defaults.",
      "security": [
        {
          "type": "httpApiKey",
          "name": "token",
          "in": "query",
          "description": "Access JWT in the query string."
        },
        {
          "type": "httpApiKey",
          "name": "Sec-WebSocket-Protocol",
          "in": "header",
          "description": "`bearer, <access JWT>` as WebSocket subprotocols."
        }
      ]
    }
  },
  "channels": {
    "party": {
      "address": "/ws/party/{partyId}/",
      "title": "party",
      "summary": "Party sync: playback, clock sync, ready checks, buffering, presence, reactions, host changes, video_ready",
      "description": "Authenticate with `?token=<access>` or `Sec-WebSocket-Protocol: bearer, <access>` (the server echoes `bearer`). Close codes: 4401 bad or expired token, or its session ended (logout, ban), 4403 not allowed, 4404 unknown party; 1009 frame too large, 1008 flood. On join the socket receives `session.welcome` (server time), `playback.state` (cause `join`), `presence` and, when one is open, `ready_check.state`. Every server frame carries `ts` (server time, ms). Clients sync their clock with `sync.ping` and compute the position as described under `sync.pong`. Events cross server processes (Redis) so every socket of the party sees them.",
      "parameters": {
        "partyId": {
          "description": "`partyId` (UUID)."
        }
      },
      "messages": {
        "ClientAuthRefresh": {
          "name": "auth.refresh",
          "title": "auth.refresh (client → server)",
          "summary": "Replace the socket's access token",
          "description": "The token must be valid and belong to the same user; the server answers `auth.refreshed`, or `error` with code `invalid_token` (the old token keeps the socket alive until it expires).",
          "payload": {
            "type": "object",
            "description": "The token must be valid and belong to the same user; the server answers `auth.refreshed`, or `error` with code `invalid_token` (the old token keeps the socket alive until it expires).",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "auth.refresh"
                ],
                "x-parser-schema-id": "<anonymous-schema-2>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-3>"
              },
              "payload": {
                "type": "object",
                "description": "A new access token for the same user (from `POST /api/auth/refresh/`).",
                "required": [
                  "access"
                ],
                "properties": {
                  "access": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 4096,
                    "x-parser-schema-id": "<anonymous-schema-4>"
                  }
                },
                "examples": [
                  {
                    "access": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjIn0.sig"
                  }
                ],
                "x-parser-schema-id": "AuthRefresh"
              }
            },
            "examples": [
              {
                "type": "auth.refresh",
                "id": "c-42",
                "payload": {
                  "access": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjIn0.sig"
                }
              }
            ],
            "x-parser-schema-id": "ClientAuthRefresh"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "auth.refresh",
                "id": "c-42",
                "payload": {
                  "access": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI2ZjFjIn0.sig"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientAuthRefresh"
        },
        "ClientSyncPing": {
          "name": "sync.ping",
          "title": "sync.ping (client → server)",
          "summary": "Clock-sync probe (NTP style)",
          "payload": {
            "type": "object",
            "description": "Clock-sync probe (NTP style)",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "sync.ping"
                ],
                "x-parser-schema-id": "<anonymous-schema-5>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-6>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "client_ts"
                ],
                "properties": {
                  "client_ts": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 9007199254740991,
                    "description": "Client clock when sent, ms since epoch (fractions allowed).",
                    "x-parser-schema-id": "<anonymous-schema-7>"
                  }
                },
                "examples": [
                  {
                    "client_ts": 1764086399950.5
                  }
                ],
                "x-parser-schema-id": "SyncPing"
              }
            },
            "examples": [
              {
                "type": "sync.ping",
                "id": "c-42",
                "payload": {
                  "client_ts": 1764086399950.5
                }
              }
            ],
            "x-parser-schema-id": "ClientSyncPing"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "sync.ping",
                "id": "c-42",
                "payload": {
                  "client_ts": 1764086399950.5
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientSyncPing"
        },
        "ClientPlaybackPlay": {
          "name": "playback.play",
          "title": "playback.play (client → server)",
          "summary": "Start or resume playback",
          "description": "Host only, or every participant when the party allows guest control; else `error` `permission_denied`. Commands are applied in the order the server receives them; the answer is the `playback.state` broadcast to everyone, sender included.",
          "payload": {
            "type": "object",
            "description": "Host only, or every participant when the party allows guest control; else `error` `permission_denied`. Commands are applied in the order the server receives them; the answer is the `playback.state` broadcast to everyone, sender included.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "playback.play"
                ],
                "x-parser-schema-id": "<anonymous-schema-8>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-9>"
              },
              "payload": {
                "type": "object",
                "description": "Start or resume playback, from `position` when given, else from the current position.",
                "properties": {
                  "position": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 86400,
                    "description": "Seconds into the video.",
                    "x-parser-schema-id": "<anonymous-schema-10>"
                  }
                },
                "examples": [
                  {
                    "position": 754.2
                  }
                ],
                "x-parser-schema-id": "PlaybackPlay"
              }
            },
            "examples": [
              {
                "type": "playback.play",
                "id": "c-42",
                "payload": {
                  "position": 754.2
                }
              }
            ],
            "x-parser-schema-id": "ClientPlaybackPlay"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "playback.play",
                "id": "c-42",
                "payload": {
                  "position": 754.2
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPlaybackPlay"
        },
        "ClientPlaybackPause": {
          "name": "playback.pause",
          "title": "playback.pause (client → server)",
          "summary": "Pause playback",
          "description": "Same rights and ordering as playback.play.",
          "payload": {
            "type": "object",
            "description": "Same rights and ordering as playback.play.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "playback.pause"
                ],
                "x-parser-schema-id": "<anonymous-schema-11>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-12>"
              },
              "payload": {
                "type": "object",
                "description": "Pause, at `position` when given (what the sender's player shows), else at the server-computed position.",
                "properties": {
                  "position": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 86400,
                    "x-parser-schema-id": "<anonymous-schema-13>"
                  }
                },
                "examples": [
                  {
                    "position": 760
                  }
                ],
                "x-parser-schema-id": "PlaybackPause"
              }
            },
            "examples": [
              {
                "type": "playback.pause",
                "id": "c-42",
                "payload": {
                  "position": 760
                }
              }
            ],
            "x-parser-schema-id": "ClientPlaybackPause"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "playback.pause",
                "id": "c-42",
                "payload": {
                  "position": 760
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPlaybackPause"
        },
        "ClientPlaybackSeek": {
          "name": "playback.seek",
          "title": "playback.seek (client → server)",
          "summary": "Seek to a position",
          "description": "Same rights and ordering as playback.play.",
          "payload": {
            "type": "object",
            "description": "Same rights and ordering as playback.play.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "playback.seek"
                ],
                "x-parser-schema-id": "<anonymous-schema-14>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-15>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "position"
                ],
                "properties": {
                  "position": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 86400,
                    "description": "Seconds into the video; clamped to the video's duration.",
                    "x-parser-schema-id": "<anonymous-schema-16>"
                  }
                },
                "examples": [
                  {
                    "position": 1200
                  }
                ],
                "x-parser-schema-id": "PlaybackSeek"
              }
            },
            "examples": [
              {
                "type": "playback.seek",
                "id": "c-42",
                "payload": {
                  "position": 1200
                }
              }
            ],
            "x-parser-schema-id": "ClientPlaybackSeek"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "playback.seek",
                "id": "c-42",
                "payload": {
                  "position": 1200
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPlaybackSeek"
        },
        "ClientPlaybackRate": {
          "name": "playback.rate",
          "title": "playback.rate (client → server)",
          "summary": "Change the playback rate",
          "description": "Same rights and ordering as playback.play.",
          "payload": {
            "type": "object",
            "description": "Same rights and ordering as playback.play.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "playback.rate"
                ],
                "x-parser-schema-id": "<anonymous-schema-17>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-18>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "rate"
                ],
                "properties": {
                  "rate": {
                    "type": "number",
                    "minimum": 0.25,
                    "maximum": 4,
                    "x-parser-schema-id": "<anonymous-schema-19>"
                  }
                },
                "examples": [
                  {
                    "rate": 1.5
                  }
                ],
                "x-parser-schema-id": "PlaybackRate"
              }
            },
            "examples": [
              {
                "type": "playback.rate",
                "id": "c-42",
                "payload": {
                  "rate": 1.5
                }
              }
            ],
            "x-parser-schema-id": "ClientPlaybackRate"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "playback.rate",
                "id": "c-42",
                "payload": {
                  "rate": 1.5
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPlaybackRate"
        },
        "ClientReadyCheckStart": {
          "name": "ready_check.start",
          "title": "ready_check.start (client → server)",
          "summary": "Host asks the room whether everyone is ready",
          "description": "Host only; `conflict` when a check is already open.",
          "payload": {
            "type": "object",
            "description": "Host only; `conflict` when a check is already open.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "ready_check.start"
                ],
                "x-parser-schema-id": "<anonymous-schema-20>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-21>"
              },
              "payload": {
                "type": "object",
                "description": "Host only. Ask everyone in the room whether they are ready. When the share of ready participants reaches `quorum` (1 = all) before `timeout_seconds`, the server runs a countdown of `countdown_seconds` and starts playback.",
                "properties": {
                  "quorum": {
                    "type": "number",
                    "minimum": 0.5,
                    "maximum": 1,
                    "default": 1,
                    "x-parser-schema-id": "<anonymous-schema-22>"
                  },
                  "timeout_seconds": {
                    "type": "integer",
                    "minimum": 5,
                    "maximum": 300,
                    "default": 30,
                    "x-parser-schema-id": "<anonymous-schema-23>"
                  },
                  "countdown_seconds": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 10,
                    "default": 3,
                    "x-parser-schema-id": "<anonymous-schema-24>"
                  }
                },
                "examples": [
                  {
                    "quorum": 1,
                    "timeout_seconds": 30,
                    "countdown_seconds": 3
                  }
                ],
                "x-parser-schema-id": "ReadyCheckStart"
              }
            },
            "examples": [
              {
                "type": "ready_check.start",
                "id": "c-42",
                "payload": {
                  "quorum": 1,
                  "timeout_seconds": 30,
                  "countdown_seconds": 3
                }
              }
            ],
            "x-parser-schema-id": "ClientReadyCheckStart"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "ready_check.start",
                "id": "c-42",
                "payload": {
                  "quorum": 1,
                  "timeout_seconds": 30,
                  "countdown_seconds": 3
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientReadyCheckStart"
        },
        "ClientReadyCheckAnswer": {
          "name": "ready_check.answer",
          "title": "ready_check.answer (client → server)",
          "summary": "Answer the open ready check",
          "payload": {
            "type": "object",
            "description": "Answer the open ready check",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "ready_check.answer"
                ],
                "x-parser-schema-id": "<anonymous-schema-25>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-26>"
              },
              "payload": {
                "type": "object",
                "description": "A participant's answer; may be changed while the check is open.",
                "required": [
                  "check_id",
                  "ready"
                ],
                "properties": {
                  "check_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-27>"
                  },
                  "ready": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-28>"
                  }
                },
                "examples": [
                  {
                    "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                    "ready": true
                  }
                ],
                "x-parser-schema-id": "ReadyCheckAnswer"
              }
            },
            "examples": [
              {
                "type": "ready_check.answer",
                "id": "c-42",
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                  "ready": true
                }
              }
            ],
            "x-parser-schema-id": "ClientReadyCheckAnswer"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "ready_check.answer",
                "id": "c-42",
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                  "ready": true
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientReadyCheckAnswer"
        },
        "ClientReadyCheckCancel": {
          "name": "ready_check.cancel",
          "title": "ready_check.cancel (client → server)",
          "summary": "Host cancels the open ready check or its countdown",
          "payload": {
            "type": "object",
            "description": "Host cancels the open ready check or its countdown",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "ready_check.cancel"
                ],
                "x-parser-schema-id": "<anonymous-schema-29>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-30>"
              },
              "payload": {
                "type": "object",
                "description": "Host only. Cancel an open check or its countdown.",
                "required": [
                  "check_id"
                ],
                "properties": {
                  "check_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-31>"
                  }
                },
                "examples": [
                  {
                    "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
                  }
                ],
                "x-parser-schema-id": "ReadyCheckCancel"
              }
            },
            "examples": [
              {
                "type": "ready_check.cancel",
                "id": "c-42",
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
                }
              }
            ],
            "x-parser-schema-id": "ClientReadyCheckCancel"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "ready_check.cancel",
                "id": "c-42",
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientReadyCheckCancel"
        },
        "ClientBuffering": {
          "name": "buffering",
          "title": "buffering (client → server)",
          "summary": "Ask the room to wait while this player buffers (client) / someone started buffering (server)",
          "description": "The server pauses playback (a `playback.state` with cause `buffering`) while anyone is buffering, for at most a server-configured wait, then resumes.",
          "payload": {
            "type": "object",
            "description": "The server pauses playback (a `playback.state` with cause `buffering`) while anyone is buffering, for at most a server-configured wait, then resumes.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "buffering"
                ],
                "x-parser-schema-id": "<anonymous-schema-32>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-33>"
              },
              "payload": {
                "type": "object",
                "description": "The sender's player is stalled; the room is paused until it sends `buffered` (or a server timeout passes).",
                "properties": {
                  "position": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 86400,
                    "description": "Where the sender's player is stuck.",
                    "x-parser-schema-id": "<anonymous-schema-34>"
                  }
                },
                "examples": [
                  {
                    "position": 1203.4
                  }
                ],
                "x-parser-schema-id": "BufferingStart"
              }
            },
            "examples": [
              {
                "type": "buffering",
                "id": "c-42",
                "payload": {
                  "position": 1203.4
                }
              }
            ],
            "x-parser-schema-id": "ClientBuffering"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "buffering",
                "id": "c-42",
                "payload": {
                  "position": 1203.4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientBuffering"
        },
        "ClientBuffered": {
          "name": "buffered",
          "title": "buffered (client → server)",
          "summary": "This player caught up (client) / someone finished buffering (server)",
          "description": "When nobody is left waiting the server resumes playback with a `playback.state` (cause `buffering`).",
          "payload": {
            "type": "object",
            "description": "When nobody is left waiting the server resumes playback with a `playback.state` (cause `buffering`).",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "buffered"
                ],
                "x-parser-schema-id": "<anonymous-schema-35>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-36>"
              },
              "payload": {
                "type": "object",
                "description": "A frame whose `type` says everything; send `{}` (other keys are ignored).",
                "examples": [
                  {}
                ],
                "x-parser-schema-id": "EmptyPayload"
              }
            },
            "examples": [
              {
                "type": "buffered",
                "id": "c-42",
                "payload": {}
              }
            ],
            "x-parser-schema-id": "ClientBuffered"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "buffered",
                "id": "c-42",
                "payload": {}
              }
            }
          ],
          "x-parser-unique-object-id": "ClientBuffered"
        },
        "ClientReaction": {
          "name": "reaction",
          "title": "reaction (client → server)",
          "summary": "Send a reaction (client) / someone reacted (server, with the user)",
          "description": "Rate-limited per user (`throttled` with `retry_after`); `reactions_disabled` when the party turned them off. Broadcast to everyone, sender included.",
          "payload": {
            "type": "object",
            "description": "Rate-limited per user (`throttled` with `retry_after`); `reactions_disabled` when the party turned them off. Broadcast to everyone, sender included.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "reaction"
                ],
                "x-parser-schema-id": "<anonymous-schema-37>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-38>"
              },
              "payload": {
                "type": "object",
                "description": "A reaction (emoji, or `:slug:` of an owned emote), rate-limited per user.",
                "required": [
                  "emoji"
                ],
                "properties": {
                  "emoji": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 32,
                    "pattern": "^[^\\s\\x00-\\x1F\\x7F-\\x9F]+$",
                    "x-parser-schema-id": "<anonymous-schema-39>"
                  },
                  "position": {
                    "type": "number",
                    "minimum": 0,
                    "maximum": 86400,
                    "description": "Video position the reaction refers to (defaults to the current one).",
                    "x-parser-schema-id": "<anonymous-schema-40>"
                  }
                },
                "examples": [
                  {
                    "emoji": "😱",
                    "position": 1203.4
                  }
                ],
                "x-parser-schema-id": "ReactionSend"
              }
            },
            "examples": [
              {
                "type": "reaction",
                "id": "c-42",
                "payload": {
                  "emoji": "😱",
                  "position": 1203.4
                }
              }
            ],
            "x-parser-schema-id": "ClientReaction"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "reaction",
                "id": "c-42",
                "payload": {
                  "emoji": "😱",
                  "position": 1203.4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientReaction"
        },
        "ServerSessionWelcome": {
          "name": "session.welcome",
          "title": "session.welcome (server → client)",
          "summary": "First frame on every channel: this socket's id (the peer id for rtc.*), the user and the server time",
          "payload": {
            "type": "object",
            "description": "First frame on every channel: this socket's id (the peer id for rtc.*), the user and the server time",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "session.welcome"
                ],
                "x-parser-schema-id": "<anonymous-schema-41>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-42>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-43>"
              },
              "payload": {
                "type": "object",
                "description": "First frame on every channel after the handshake. `connection_id` identifies this socket; on the screen-share and voice channels it is the peer id that `rtc.*` frames use in `to`/`from`. `server_ts` is the server clock (ms since epoch) when the frame was sent.",
                "required": [
                  "connection_id",
                  "user",
                  "server_ts",
                  "token_expires_at",
                  "max_frame_bytes"
                ],
                "properties": {
                  "connection_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-44>"
                  },
                  "user": {
                    "type": "object",
                    "description": "Public view of a user, embedded in other resources.",
                    "required": [
                      "id",
                      "username",
                      "display_name",
                      "avatar_url"
                    ],
                    "properties": {
                      "id": {
                        "type": "string",
                        "format": "uuid",
                        "x-parser-schema-id": "<anonymous-schema-45>"
                      },
                      "username": {
                        "type": "string",
                        "x-parser-schema-id": "<anonymous-schema-46>"
                      },
                      "display_name": {
                        "type": "string",
                        "x-parser-schema-id": "<anonymous-schema-47>"
                      },
                      "avatar_url": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "x-parser-schema-id": "<anonymous-schema-48>"
                      }
                    },
                    "examples": [
                      {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      }
                    ],
                    "x-parser-schema-id": "UserSummary"
                  },
                  "server_ts": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Server time, ms since epoch.",
                    "x-parser-schema-id": "<anonymous-schema-49>"
                  },
                  "token_expires_at": {
                    "type": "string",
                    "format": "date-time",
                    "description": "When the access token of this socket expires (see `auth.expiring`).",
                    "x-parser-schema-id": "<anonymous-schema-50>"
                  },
                  "max_frame_bytes": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Larger frames close the socket with 1009.",
                    "x-parser-schema-id": "<anonymous-schema-51>"
                  }
                },
                "examples": [
                  {
                    "connection_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                    "user": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    },
                    "server_ts": 1764086400000,
                    "token_expires_at": "2026-11-25T20:15:00Z",
                    "max_frame_bytes": 65536
                  }
                ],
                "x-parser-schema-id": "RealtimeWelcome"
              }
            },
            "examples": [
              {
                "type": "session.welcome",
                "ts": 1764086400123,
                "payload": {
                  "connection_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "user": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "server_ts": 1764086400000,
                  "token_expires_at": "2026-11-25T20:15:00Z",
                  "max_frame_bytes": 65536
                }
              }
            ],
            "x-parser-schema-id": "ServerSessionWelcome"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "session.welcome",
                "ts": 1764086400123,
                "payload": {
                  "connection_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "user": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "server_ts": 1764086400000,
                  "token_expires_at": "2026-11-25T20:15:00Z",
                  "max_frame_bytes": 65536
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerSessionWelcome"
        },
        "ServerError": {
          "name": "error",
          "title": "error (server → client)",
          "summary": "A client frame could not be applied (the socket stays open)",
          "description": "`ref` is the envelope `id` of the offending frame. Invalid JSON, an unknown `type` or a payload that breaks its schema get an error and the socket stays open; frames over `max_frame_bytes` close it with 1009 and floods (per-socket rate limit) with 1008.",
          "payload": {
            "type": "object",
            "description": "`ref` is the envelope `id` of the offending frame. Invalid JSON, an unknown `type` or a payload that breaks its schema get an error and the socket stays open; frames over `max_frame_bytes` close it with 1009 and floods (per-socket rate limit) with 1008.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "error"
                ],
                "x-parser-schema-id": "<anonymous-schema-52>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-53>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-54>"
              },
              "payload": {
                "type": "object",
                "description": "Answer to a client frame that could not be applied. The socket stays open; only abusive traffic closes it (1009 frame too large, 1008 flood).",
                "required": [
                  "code",
                  "detail",
                  "ref",
                  "fields",
                  "retry_after"
                ],
                "properties": {
                  "code": {
                    "type": "string",
                    "description": "`invalid_json`: the frame is not a JSON object envelope. `unknown_type`: the type is not one a client may send on this channel. `validation_error`: the payload breaks its schema (see `fields`). `permission_denied`: the caller's role does not allow it (e.g. playback control without host rights). `not_found`: a referenced id does not exist in this party. `throttled`: per-type rate limit hit (see `retry_after`). `conflict`: the request clashes with the current state (a ready check already open, a share slot taken). `invalid_token`: `auth.refresh` carried a bad token or one for another user. `chat_disabled`, `reactions_disabled`, `muted`: the party's settings or a moderation action forbid it. `poll_closed`, `already_voted`: poll rules. `peer_not_found`: an `rtc.*` frame addressed to a peer that is not connected to this channel. `server_error`: unexpected failure, the socket stays usable.",
                    "enum": [
                      "invalid_json",
                      "unknown_type",
                      "validation_error",
                      "permission_denied",
                      "not_found",
                      "throttled",
                      "conflict",
                      "invalid_token",
                      "chat_disabled",
                      "reactions_disabled",
                      "muted",
                      "poll_closed",
                      "already_voted",
                      "peer_not_found",
                      "server_error"
                    ],
                    "examples": [
                      "permission_denied"
                    ],
                    "x-parser-schema-id": "RealtimeErrorCode"
                  },
                  "detail": {
                    "type": "string",
                    "description": "Human-readable message.",
                    "x-parser-schema-id": "<anonymous-schema-55>"
                  },
                  "ref": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The `id` of the client frame this answers; null when the frame had none or could not be parsed.",
                    "x-parser-schema-id": "<anonymous-schema-56>"
                  },
                  "fields": {
                    "anyOf": [
                      {
                        "allOf": [
                          {
                            "type": "object",
                            "description": "Serializer error map: each invalid field (dotted for nested fields, also query and path parameters) lists its messages; errors not tied to a field go under `non_field_errors`.",
                            "additionalProperties": {
                              "type": "array",
                              "items": {
                                "type": "string",
                                "x-parser-schema-id": "<anonymous-schema-60>"
                              },
                              "x-parser-schema-id": "<anonymous-schema-59>"
                            },
                            "examples": [
                              {
                                "email": [
                                  "Enter a valid email address."
                                ],
                                "non_field_errors": [
                                  "Unable to log in with provided credentials."
                                ]
                              }
                            ],
                            "x-parser-schema-id": "ValidationError"
                          }
                        ],
                        "description": "Per-field messages (dotted paths inside `payload`) when `code` is `validation_error`.",
                        "x-parser-schema-id": "<anonymous-schema-58>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-61>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-57>"
                  },
                  "retry_after": {
                    "type": [
                      "number",
                      "null"
                    ],
                    "minimum": 0,
                    "description": "Seconds to wait when `code` is `throttled`.",
                    "x-parser-schema-id": "<anonymous-schema-62>"
                  }
                },
                "examples": [
                  {
                    "code": "permission_denied",
                    "detail": "Only the host can control playback in this party.",
                    "ref": "c-42",
                    "fields": null,
                    "retry_after": null
                  }
                ],
                "x-parser-schema-id": "RealtimeError"
              }
            },
            "examples": [
              {
                "type": "error",
                "ts": 1764086400123,
                "payload": {
                  "code": "permission_denied",
                  "detail": "Only the host can control playback in this party.",
                  "ref": "c-42",
                  "fields": null,
                  "retry_after": null
                }
              }
            ],
            "x-parser-schema-id": "ServerError"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "error",
                "ts": 1764086400123,
                "payload": {
                  "code": "permission_denied",
                  "detail": "Only the host can control playback in this party.",
                  "ref": "c-42",
                  "fields": null,
                  "retry_after": null
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerError"
        },
        "ServerAuthExpiring": {
          "name": "auth.expiring",
          "title": "auth.expiring (server → client)",
          "summary": "The socket's access token expires soon",
          "description": "Sent about a minute before expiry. Answer with `auth.refresh`; otherwise the socket is closed with 4401 when the token expires.",
          "payload": {
            "type": "object",
            "description": "Sent about a minute before expiry. Answer with `auth.refresh`; otherwise the socket is closed with 4401 when the token expires.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "auth.expiring"
                ],
                "x-parser-schema-id": "<anonymous-schema-63>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-64>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-65>"
              },
              "payload": {
                "type": "object",
                "description": "The socket's access token expires soon. Send `auth.refresh` with a fresh access token before `expires_at`, or the socket is closed with 4401.",
                "required": [
                  "expires_at",
                  "expires_in"
                ],
                "properties": {
                  "expires_at": {
                    "type": "string",
                    "format": "date-time",
                    "x-parser-schema-id": "<anonymous-schema-66>"
                  },
                  "expires_in": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Seconds left.",
                    "x-parser-schema-id": "<anonymous-schema-67>"
                  }
                },
                "examples": [
                  {
                    "expires_at": "2026-11-25T20:15:00Z",
                    "expires_in": 60
                  }
                ],
                "x-parser-schema-id": "AuthExpiring"
              }
            },
            "examples": [
              {
                "type": "auth.expiring",
                "ts": 1764086400123,
                "payload": {
                  "expires_at": "2026-11-25T20:15:00Z",
                  "expires_in": 60
                }
              }
            ],
            "x-parser-schema-id": "ServerAuthExpiring"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "auth.expiring",
                "ts": 1764086400123,
                "payload": {
                  "expires_at": "2026-11-25T20:15:00Z",
                  "expires_in": 60
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerAuthExpiring"
        },
        "ServerAuthRefreshed": {
          "name": "auth.refreshed",
          "title": "auth.refreshed (server → client)",
          "summary": "The new access token was accepted",
          "payload": {
            "type": "object",
            "description": "The new access token was accepted",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "auth.refreshed"
                ],
                "x-parser-schema-id": "<anonymous-schema-68>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-69>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-70>"
              },
              "payload": {
                "type": "object",
                "description": "The token sent in `auth.refresh` was accepted; the socket now lives until `expires_at`.",
                "required": [
                  "expires_at"
                ],
                "properties": {
                  "expires_at": {
                    "type": "string",
                    "format": "date-time",
                    "x-parser-schema-id": "<anonymous-schema-71>"
                  }
                },
                "examples": [
                  {
                    "expires_at": "2026-11-25T20:30:00Z"
                  }
                ],
                "x-parser-schema-id": "AuthRefreshed"
              }
            },
            "examples": [
              {
                "type": "auth.refreshed",
                "ts": 1764086400123,
                "payload": {
                  "expires_at": "2026-11-25T20:30:00Z"
                }
              }
            ],
            "x-parser-schema-id": "ServerAuthRefreshed"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "auth.refreshed",
                "ts": 1764086400123,
                "payload": {
                  "expires_at": "2026-11-25T20:30:00Z"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerAuthRefreshed"
        },
        "ServerSyncPong": {
          "name": "sync.pong",
          "title": "sync.pong (server → client)",
          "summary": "Answer to sync.ping with the server clock",
          "description": "Client-side estimate, NTP style: let t0 = `client_ts` (client clock when the ping left), ts = `server_ts`, t1 = client clock when the pong arrived. Round trip `rtt = t1 - t0`; clock offset `offset = ts - (t0 + t1) / 2` (server = client + offset), accurate to within rtt/2. Send 5-8 pings on connect (and one every 30 s), keep the samples with the smallest rtt and use their median offset. Then `server_now = Date.now() + offset`, and while `playback.state.status` is `playing` the position is `position + (server_now - ref_ts) / 1000 * rate` (while paused, `position`).",
          "payload": {
            "type": "object",
            "description": "Client-side estimate, NTP style: let t0 = `client_ts` (client clock when the ping left), ts = `server_ts`, t1 = client clock when the pong arrived. Round trip `rtt = t1 - t0`; clock offset `offset = ts - (t0 + t1) / 2` (server = client + offset), accurate to within rtt/2. Send 5-8 pings on connect (and one every 30 s), keep the samples with the smallest rtt and use their median offset. Then `server_now = Date.now() + offset`, and while `playback.state.status` is `playing` the position is `position + (server_now - ref_ts) / 1000 * rate` (while paused, `position`).",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "sync.pong"
                ],
                "x-parser-schema-id": "<anonymous-schema-72>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-73>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-74>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "client_ts",
                  "server_ts"
                ],
                "properties": {
                  "client_ts": {
                    "type": "number",
                    "minimum": 0,
                    "description": "The `client_ts` of the ping, echoed unchanged.",
                    "x-parser-schema-id": "<anonymous-schema-75>"
                  },
                  "server_ts": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Server clock when the ping was handled, ms since epoch.",
                    "x-parser-schema-id": "<anonymous-schema-76>"
                  }
                },
                "examples": [
                  {
                    "client_ts": 1764086399950.5,
                    "server_ts": 1764086401012
                  }
                ],
                "x-parser-schema-id": "SyncPong"
              }
            },
            "examples": [
              {
                "type": "sync.pong",
                "ts": 1764086400123,
                "payload": {
                  "client_ts": 1764086399950.5,
                  "server_ts": 1764086401012
                }
              }
            ],
            "x-parser-schema-id": "ServerSyncPong"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "sync.pong",
                "ts": 1764086400123,
                "payload": {
                  "client_ts": 1764086399950.5,
                  "server_ts": 1764086401012
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerSyncPong"
        },
        "ServerPlaybackState": {
          "name": "playback.state",
          "title": "playback.state (server → client)",
          "summary": "Authoritative playback state",
          "description": "Sent to a socket when it joins (cause `join`, so late joiners catch up) and to everyone after every change. The state is stored, so it survives a server restart. Apply only states with a `seq` higher than the last one applied.",
          "payload": {
            "type": "object",
            "description": "Sent to a socket when it joins (cause `join`, so late joiners catch up) and to everyone after every change. The state is stored, so it survives a server restart. Apply only states with a `seq` higher than the last one applied.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "playback.state"
                ],
                "x-parser-schema-id": "<anonymous-schema-77>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-78>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-79>"
              },
              "payload": {
                "description": "The authoritative playback state (PlaybackState) with the video and what changed it. `seq` grows by one with every change of the party's state (across processes and restarts): ignore a state whose `seq` is lower than the last one applied.",
                "allOf": [
                  {
                    "type": "object",
                    "description": "Authoritative playback state owned by the server. A client computes the current position as `position + (server_now_ms - ref_ts) / 1000 * rate` while playing.",
                    "required": [
                      "status",
                      "position",
                      "rate",
                      "ref_ts",
                      "video_id"
                    ],
                    "properties": {
                      "status": {
                        "type": "string",
                        "enum": [
                          "playing",
                          "paused"
                        ],
                        "examples": [
                          "paused"
                        ],
                        "x-parser-schema-id": "PlaybackStatus"
                      },
                      "position": {
                        "type": "number",
                        "minimum": 0,
                        "description": "Seconds into the video at ref_ts.",
                        "x-parser-schema-id": "<anonymous-schema-80>"
                      },
                      "rate": {
                        "type": "number",
                        "minimum": 0.25,
                        "maximum": 4,
                        "x-parser-schema-id": "<anonymous-schema-81>"
                      },
                      "ref_ts": {
                        "type": "integer",
                        "description": "Server time (ms since epoch) the position refers to.",
                        "x-parser-schema-id": "<anonymous-schema-82>"
                      },
                      "video_id": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "format": "uuid",
                        "x-parser-schema-id": "<anonymous-schema-83>"
                      }
                    },
                    "examples": [
                      {
                        "status": "playing",
                        "position": 754.2,
                        "rate": 1,
                        "ref_ts": 1764086400000,
                        "video_id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d"
                      }
                    ],
                    "x-parser-schema-id": "PlaybackState"
                  },
                  {
                    "type": "object",
                    "required": [
                      "seq",
                      "cause",
                      "actor",
                      "video"
                    ],
                    "properties": {
                      "seq": {
                        "type": "integer",
                        "minimum": 0,
                        "x-parser-schema-id": "<anonymous-schema-85>"
                      },
                      "cause": {
                        "type": "string",
                        "description": "Why a `playback.state` was sent: `join` (the current state, to the joining socket only), a command (`play`, `pause`, `seek`, `rate`), the end of a ready-check countdown (`ready_check`), a pause or resume for buffering participants (`buffering`), a new video set on the party (`video_changed`), the end of the video (`ended`).",
                        "enum": [
                          "join",
                          "play",
                          "pause",
                          "seek",
                          "rate",
                          "ready_check",
                          "buffering",
                          "video_changed",
                          "ended"
                        ],
                        "examples": [
                          "seek"
                        ],
                        "x-parser-schema-id": "PlaybackCause"
                      },
                      "actor": {
                        "anyOf": [
                          {
                            "allOf": [
                              "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user"
                            ],
                            "description": "Who caused the change; null for server-driven changes.",
                            "x-parser-schema-id": "<anonymous-schema-87>"
                          },
                          {
                            "type": "null",
                            "x-parser-schema-id": "<anonymous-schema-88>"
                          }
                        ],
                        "x-parser-schema-id": "<anonymous-schema-86>"
                      },
                      "video": {
                        "anyOf": [
                          {
                            "allOf": [
                              {
                                "type": "object",
                                "required": [
                                  "id",
                                  "title",
                                  "duration_seconds",
                                  "thumbnail_url",
                                  "processing_state"
                                ],
                                "properties": {
                                  "id": {
                                    "type": "string",
                                    "format": "uuid",
                                    "x-parser-schema-id": "<anonymous-schema-91>"
                                  },
                                  "title": {
                                    "type": "string",
                                    "x-parser-schema-id": "<anonymous-schema-92>"
                                  },
                                  "duration_seconds": {
                                    "type": [
                                      "number",
                                      "null"
                                    ],
                                    "minimum": 0,
                                    "x-parser-schema-id": "<anonymous-schema-93>"
                                  },
                                  "thumbnail_url": {
                                    "type": [
                                      "string",
                                      "null"
                                    ],
                                    "x-parser-schema-id": "<anonymous-schema-94>"
                                  },
                                  "processing_state": {
                                    "type": "string",
                                    "enum": [
                                      "queued",
                                      "probing",
                                      "transcoding",
                                      "ready",
                                      "failed"
                                    ],
                                    "examples": [
                                      "ready"
                                    ],
                                    "x-parser-schema-id": "ProcessingState"
                                  }
                                },
                                "examples": [
                                  {
                                    "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                                    "title": "Night of the Living Dead",
                                    "duration_seconds": 5760.5,
                                    "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                                    "processing_state": "ready"
                                  }
                                ],
                                "x-parser-schema-id": "VideoSummary"
                              }
                            ],
                            "description": "The party's video (same id as `video_id`), null when none is chosen.",
                            "x-parser-schema-id": "<anonymous-schema-90>"
                          },
                          {
                            "type": "null",
                            "x-parser-schema-id": "<anonymous-schema-95>"
                          }
                        ],
                        "x-parser-schema-id": "<anonymous-schema-89>"
                      }
                    },
                    "x-parser-schema-id": "<anonymous-schema-84>"
                  }
                ],
                "examples": [
                  {
                    "status": "playing",
                    "position": 1200,
                    "rate": 1,
                    "ref_ts": 1764086401012,
                    "video_id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                    "seq": 42,
                    "cause": "seek",
                    "actor": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    },
                    "video": {
                      "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                      "title": "Night of the Living Dead",
                      "duration_seconds": 5760.5,
                      "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                      "processing_state": "ready"
                    }
                  }
                ],
                "x-parser-schema-id": "PlaybackStateEvent"
              }
            },
            "examples": [
              {
                "type": "playback.state",
                "ts": 1764086400123,
                "payload": {
                  "status": "playing",
                  "position": 1200,
                  "rate": 1,
                  "ref_ts": 1764086401012,
                  "video_id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                  "seq": 42,
                  "cause": "seek",
                  "actor": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "video": {
                    "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                    "title": "Night of the Living Dead",
                    "duration_seconds": 5760.5,
                    "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                    "processing_state": "ready"
                  }
                }
              }
            ],
            "x-parser-schema-id": "ServerPlaybackState"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "playback.state",
                "ts": 1764086400123,
                "payload": {
                  "status": "playing",
                  "position": 1200,
                  "rate": 1,
                  "ref_ts": 1764086401012,
                  "video_id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                  "seq": 42,
                  "cause": "seek",
                  "actor": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "video": {
                    "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                    "title": "Night of the Living Dead",
                    "duration_seconds": 5760.5,
                    "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                    "processing_state": "ready"
                  }
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPlaybackState"
        },
        "ServerReadyCheckState": {
          "name": "ready_check.state",
          "title": "ready_check.state (server → client)",
          "summary": "The ready check: who answered what, and its status",
          "payload": {
            "type": "object",
            "description": "The ready check: who answered what, and its status",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "ready_check.state"
                ],
                "x-parser-schema-id": "<anonymous-schema-96>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-97>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-98>"
              },
              "payload": {
                "type": "object",
                "description": "The whole ready check, sent to everyone when it starts, on each answer, when it ends, and to a joining socket while one is open. Participants who join during the check are added; those who leave are removed.",
                "required": [
                  "check_id",
                  "status",
                  "started_by",
                  "quorum",
                  "deadline_ts",
                  "answers",
                  "ready_count",
                  "total"
                ],
                "properties": {
                  "check_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-99>"
                  },
                  "status": {
                    "type": "string",
                    "description": "`open`: waiting for answers. `passed`: the quorum answered ready (a countdown follows). `failed`: the timeout passed without a quorum. `cancelled`: the host cancelled it.",
                    "enum": [
                      "open",
                      "passed",
                      "failed",
                      "cancelled"
                    ],
                    "examples": [
                      "open"
                    ],
                    "x-parser-schema-id": "ReadyCheckStatus"
                  },
                  "started_by": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "quorum": {
                    "type": "number",
                    "minimum": 0.5,
                    "maximum": 1,
                    "x-parser-schema-id": "<anonymous-schema-100>"
                  },
                  "deadline_ts": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Server time (ms since epoch) when an open check fails.",
                    "x-parser-schema-id": "<anonymous-schema-101>"
                  },
                  "answers": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "user",
                        "ready"
                      ],
                      "properties": {
                        "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                        "ready": {
                          "type": [
                            "boolean",
                            "null"
                          ],
                          "description": "Null until the user answers.",
                          "x-parser-schema-id": "<anonymous-schema-103>"
                        }
                      },
                      "examples": [
                        {
                          "user": {
                            "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                            "username": "ana",
                            "display_name": "Ana Lima",
                            "avatar_url": null
                          },
                          "ready": true
                        }
                      ],
                      "x-parser-schema-id": "ReadyCheckEntry"
                    },
                    "x-parser-schema-id": "<anonymous-schema-102>"
                  },
                  "ready_count": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-104>"
                  },
                  "total": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-105>"
                  }
                },
                "examples": [
                  {
                    "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                    "status": "open",
                    "started_by": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    },
                    "quorum": 1,
                    "deadline_ts": 1764086430000,
                    "answers": [
                      {
                        "user": {
                          "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                          "username": "ana",
                          "display_name": "Ana Lima",
                          "avatar_url": null
                        },
                        "ready": true
                      },
                      {
                        "user": {
                          "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                          "username": "bruno",
                          "display_name": "Bruno Reis",
                          "avatar_url": "/media/avatars/bruno.png"
                        },
                        "ready": null
                      }
                    ],
                    "ready_count": 1,
                    "total": 2
                  }
                ],
                "x-parser-schema-id": "ReadyCheckState"
              }
            },
            "examples": [
              {
                "type": "ready_check.state",
                "ts": 1764086400123,
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                  "status": "open",
                  "started_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "quorum": 1,
                  "deadline_ts": 1764086430000,
                  "answers": [
                    {
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "ready": true
                    },
                    {
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "ready": null
                    }
                  ],
                  "ready_count": 1,
                  "total": 2
                }
              }
            ],
            "x-parser-schema-id": "ServerReadyCheckState"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "ready_check.state",
                "ts": 1764086400123,
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                  "status": "open",
                  "started_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "quorum": 1,
                  "deadline_ts": 1764086430000,
                  "answers": [
                    {
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "ready": true
                    },
                    {
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "ready": null
                    }
                  ],
                  "ready_count": 1,
                  "total": 2
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerReadyCheckState"
        },
        "ServerReadyCheckCountdown": {
          "name": "ready_check.countdown",
          "title": "ready_check.countdown (server → client)",
          "summary": "Countdown before playback starts after a passed ready check",
          "payload": {
            "type": "object",
            "description": "Countdown before playback starts after a passed ready check",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "ready_check.countdown"
                ],
                "x-parser-schema-id": "<anonymous-schema-106>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-107>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-108>"
              },
              "payload": {
                "type": "object",
                "description": "Countdown before playback starts, sent when it begins and once per second. Playback starts at `start_ts` (server time), announced by a `playback.state` with cause `ready_check`.",
                "required": [
                  "check_id",
                  "remaining",
                  "start_ts"
                ],
                "properties": {
                  "check_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-109>"
                  },
                  "remaining": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Whole seconds left.",
                    "x-parser-schema-id": "<anonymous-schema-110>"
                  },
                  "start_ts": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Server time (ms since epoch) playback starts.",
                    "x-parser-schema-id": "<anonymous-schema-111>"
                  }
                },
                "examples": [
                  {
                    "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                    "remaining": 3,
                    "start_ts": 1764086415000
                  }
                ],
                "x-parser-schema-id": "ReadyCheckCountdown"
              }
            },
            "examples": [
              {
                "type": "ready_check.countdown",
                "ts": 1764086400123,
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                  "remaining": 3,
                  "start_ts": 1764086415000
                }
              }
            ],
            "x-parser-schema-id": "ServerReadyCheckCountdown"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "ready_check.countdown",
                "ts": 1764086400123,
                "payload": {
                  "check_id": "4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a",
                  "remaining": 3,
                  "start_ts": 1764086415000
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerReadyCheckCountdown"
        },
        "ServerBuffering": {
          "name": "buffering",
          "title": "buffering (server → client)",
          "summary": "Ask the room to wait while this player buffers (client) / someone started buffering (server)",
          "description": "The server pauses playback (a `playback.state` with cause `buffering`) while anyone is buffering, for at most a server-configured wait, then resumes.",
          "payload": {
            "type": "object",
            "description": "The server pauses playback (a `playback.state` with cause `buffering`) while anyone is buffering, for at most a server-configured wait, then resumes.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "buffering"
                ],
                "x-parser-schema-id": "<anonymous-schema-112>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-113>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-114>"
              },
              "payload": {
                "type": "object",
                "description": "A participant started (`buffering: true`) or finished buffering. `waiting` lists everyone the room still waits for; when it becomes empty the server resumes playback.",
                "required": [
                  "user",
                  "buffering",
                  "position",
                  "waiting"
                ],
                "properties": {
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "buffering": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-115>"
                  },
                  "position": {
                    "type": [
                      "number",
                      "null"
                    ],
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-116>"
                  },
                  "waiting": {
                    "type": "array",
                    "items": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                    "x-parser-schema-id": "<anonymous-schema-117>"
                  }
                },
                "examples": [
                  {
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "buffering": true,
                    "position": 1203.4,
                    "waiting": [
                      {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      }
                    ]
                  }
                ],
                "x-parser-schema-id": "BufferingEvent"
              }
            },
            "examples": [
              {
                "type": "buffering",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "buffering": true,
                  "position": 1203.4,
                  "waiting": [
                    {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    }
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ServerBuffering"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "buffering",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "buffering": true,
                  "position": 1203.4,
                  "waiting": [
                    {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    }
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerBuffering"
        },
        "ServerBuffered": {
          "name": "buffered",
          "title": "buffered (server → client)",
          "summary": "This player caught up (client) / someone finished buffering (server)",
          "description": "When nobody is left waiting the server resumes playback with a `playback.state` (cause `buffering`).",
          "payload": {
            "type": "object",
            "description": "When nobody is left waiting the server resumes playback with a `playback.state` (cause `buffering`).",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "buffered"
                ],
                "x-parser-schema-id": "<anonymous-schema-118>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-119>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-120>"
              },
              "payload": "$ref:$.channels.party.messages.ServerBuffering.payload.properties.payload"
            },
            "examples": [
              {
                "type": "buffered",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "buffering": true,
                  "position": 1203.4,
                  "waiting": [
                    {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    }
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ServerBuffered"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "buffered",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "buffering": true,
                  "position": 1203.4,
                  "waiting": [
                    {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    }
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerBuffered"
        },
        "ServerPresence": {
          "name": "presence",
          "title": "presence (server → client)",
          "summary": "Everyone in the party room",
          "description": "Sent on join; the deltas `presence.joined` and `presence.left` follow.",
          "payload": {
            "type": "object",
            "description": "Sent on join; the deltas `presence.joined` and `presence.left` follow.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "presence"
                ],
                "x-parser-schema-id": "<anonymous-schema-121>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-122>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-123>"
              },
              "payload": {
                "type": "object",
                "description": "Everyone connected to the party room (one entry per user, across processes).",
                "required": [
                  "members",
                  "count"
                ],
                "properties": {
                  "members": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "user",
                        "role",
                        "connections",
                        "joined_at"
                      ],
                      "properties": {
                        "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                        "role": {
                          "type": "string",
                          "description": "Role inside one party. Exactly one `host`; `moderator`s may help run the room (and take control when the host leaves the live room); everyone else is a `participant`.",
                          "enum": [
                            "host",
                            "moderator",
                            "participant"
                          ],
                          "examples": [
                            "participant"
                          ],
                          "x-parser-schema-id": "ParticipantRole"
                        },
                        "connections": {
                          "type": "integer",
                          "minimum": 1,
                          "description": "Open sockets of this user in the room (tabs, devices).",
                          "x-parser-schema-id": "<anonymous-schema-125>"
                        },
                        "joined_at": {
                          "type": "string",
                          "format": "date-time",
                          "x-parser-schema-id": "<anonymous-schema-126>"
                        }
                      },
                      "examples": [
                        {
                          "user": {
                            "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                            "username": "ana",
                            "display_name": "Ana Lima",
                            "avatar_url": null
                          },
                          "role": "host",
                          "connections": 1,
                          "joined_at": "2026-11-25T20:00:04Z"
                        }
                      ],
                      "x-parser-schema-id": "PresenceMember"
                    },
                    "x-parser-schema-id": "<anonymous-schema-124>"
                  },
                  "count": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-127>"
                  }
                },
                "examples": [
                  {
                    "members": [
                      {
                        "user": {
                          "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                          "username": "ana",
                          "display_name": "Ana Lima",
                          "avatar_url": null
                        },
                        "role": "host",
                        "connections": 1,
                        "joined_at": "2026-11-25T20:00:04Z"
                      },
                      {
                        "user": {
                          "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                          "username": "bruno",
                          "display_name": "Bruno Reis",
                          "avatar_url": "/media/avatars/bruno.png"
                        },
                        "role": "participant",
                        "connections": 2,
                        "joined_at": "2026-11-25T20:01:30Z"
                      }
                    ],
                    "count": 2
                  }
                ],
                "x-parser-schema-id": "Presence"
              }
            },
            "examples": [
              {
                "type": "presence",
                "ts": 1764086400123,
                "payload": {
                  "members": [
                    {
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "role": "host",
                      "connections": 1,
                      "joined_at": "2026-11-25T20:00:04Z"
                    },
                    {
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "role": "participant",
                      "connections": 2,
                      "joined_at": "2026-11-25T20:01:30Z"
                    }
                  ],
                  "count": 2
                }
              }
            ],
            "x-parser-schema-id": "ServerPresence"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "presence",
                "ts": 1764086400123,
                "payload": {
                  "members": [
                    {
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "role": "host",
                      "connections": 1,
                      "joined_at": "2026-11-25T20:00:04Z"
                    },
                    {
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "role": "participant",
                      "connections": 2,
                      "joined_at": "2026-11-25T20:01:30Z"
                    }
                  ],
                  "count": 2
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPresence"
        },
        "ServerPresenceJoined": {
          "name": "presence.joined",
          "title": "presence.joined (server → client)",
          "summary": "A user entered the party room",
          "payload": {
            "type": "object",
            "description": "A user entered the party room",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "presence.joined"
                ],
                "x-parser-schema-id": "<anonymous-schema-128>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-129>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-130>"
              },
              "payload": {
                "type": "object",
                "description": "A user opened their first socket in the room.",
                "required": [
                  "member",
                  "count"
                ],
                "properties": {
                  "member": "$ref:$.channels.party.messages.ServerPresence.payload.properties.payload.properties.members.items",
                  "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Users in the room now.",
                    "x-parser-schema-id": "<anonymous-schema-131>"
                  }
                },
                "examples": [
                  {
                    "member": {
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "role": "participant",
                      "connections": 1,
                      "joined_at": "2026-11-25T20:01:30Z"
                    },
                    "count": 2
                  }
                ],
                "x-parser-schema-id": "PresenceJoined"
              }
            },
            "examples": [
              {
                "type": "presence.joined",
                "ts": 1764086400123,
                "payload": {
                  "member": {
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "role": "participant",
                    "connections": 1,
                    "joined_at": "2026-11-25T20:01:30Z"
                  },
                  "count": 2
                }
              }
            ],
            "x-parser-schema-id": "ServerPresenceJoined"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "presence.joined",
                "ts": 1764086400123,
                "payload": {
                  "member": {
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "role": "participant",
                    "connections": 1,
                    "joined_at": "2026-11-25T20:01:30Z"
                  },
                  "count": 2
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPresenceJoined"
        },
        "ServerPresenceLeft": {
          "name": "presence.left",
          "title": "presence.left (server → client)",
          "summary": "A user left the party room",
          "payload": {
            "type": "object",
            "description": "A user left the party room",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "presence.left"
                ],
                "x-parser-schema-id": "<anonymous-schema-132>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-133>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-134>"
              },
              "payload": {
                "type": "object",
                "description": "A user's last socket in the room closed.",
                "required": [
                  "user",
                  "reason",
                  "count"
                ],
                "properties": {
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "reason": {
                    "type": "string",
                    "description": "`left`: closed the last socket. `disconnected`: the connection dropped (after the reconnect grace period). `kicked`: removed by the host.",
                    "enum": [
                      "left",
                      "disconnected",
                      "kicked"
                    ],
                    "examples": [
                      "left"
                    ],
                    "x-parser-schema-id": "PresenceLeaveReason"
                  },
                  "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": "Users in the room now.",
                    "x-parser-schema-id": "<anonymous-schema-135>"
                  }
                },
                "examples": [
                  {
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "reason": "disconnected",
                    "count": 1
                  }
                ],
                "x-parser-schema-id": "PresenceLeft"
              }
            },
            "examples": [
              {
                "type": "presence.left",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "reason": "disconnected",
                  "count": 1
                }
              }
            ],
            "x-parser-schema-id": "ServerPresenceLeft"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "presence.left",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "reason": "disconnected",
                  "count": 1
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPresenceLeft"
        },
        "ServerHostChanged": {
          "name": "host.changed",
          "title": "host.changed (server → client)",
          "summary": "Playback control passed to another user",
          "description": "When the host leaves, control passes to the next moderator, else to the longest-present participant.",
          "payload": {
            "type": "object",
            "description": "When the host leaves, control passes to the next moderator, else to the longest-present participant.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "host.changed"
                ],
                "x-parser-schema-id": "<anonymous-schema-136>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-137>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-138>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "host",
                  "previous_host",
                  "reason"
                ],
                "properties": {
                  "host": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "previous_host": {
                    "anyOf": [
                      {
                        "allOf": [
                          "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user"
                        ],
                        "x-parser-schema-id": "<anonymous-schema-140>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-141>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-139>"
                  },
                  "reason": {
                    "type": "string",
                    "description": "`transferred`: the host handed the party over (REST transfer). `host_left`: the host left the room (or stayed disconnected past the grace period) and control passed to the next moderator, else the longest-present participant. `host_returned`: the original host came back and took control again.",
                    "enum": [
                      "transferred",
                      "host_left",
                      "host_returned"
                    ],
                    "examples": [
                      "host_left"
                    ],
                    "x-parser-schema-id": "HostChangeReason"
                  }
                },
                "examples": [
                  {
                    "host": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "previous_host": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    },
                    "reason": "host_left"
                  }
                ],
                "x-parser-schema-id": "HostChange"
              }
            },
            "examples": [
              {
                "type": "host.changed",
                "ts": 1764086400123,
                "payload": {
                  "host": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "previous_host": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "reason": "host_left"
                }
              }
            ],
            "x-parser-schema-id": "ServerHostChanged"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "host.changed",
                "ts": 1764086400123,
                "payload": {
                  "host": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "previous_host": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "reason": "host_left"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerHostChanged"
        },
        "ServerReaction": {
          "name": "reaction",
          "title": "reaction (server → client)",
          "summary": "Send a reaction (client) / someone reacted (server, with the user)",
          "description": "Rate-limited per user (`throttled` with `retry_after`); `reactions_disabled` when the party turned them off. Broadcast to everyone, sender included.",
          "payload": {
            "type": "object",
            "description": "Rate-limited per user (`throttled` with `retry_after`); `reactions_disabled` when the party turned them off. Broadcast to everyone, sender included.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "reaction"
                ],
                "x-parser-schema-id": "<anonymous-schema-142>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-143>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-144>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "user",
                  "emoji",
                  "position"
                ],
                "properties": {
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "emoji": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-145>"
                  },
                  "position": {
                    "type": [
                      "number",
                      "null"
                    ],
                    "minimum": 0,
                    "description": "Video position the reaction refers to.",
                    "x-parser-schema-id": "<anonymous-schema-146>"
                  }
                },
                "examples": [
                  {
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "emoji": "😱",
                    "position": 1203.4
                  }
                ],
                "x-parser-schema-id": "ReactionEvent"
              }
            },
            "examples": [
              {
                "type": "reaction",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "emoji": "😱",
                  "position": 1203.4
                }
              }
            ],
            "x-parser-schema-id": "ServerReaction"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "reaction",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "emoji": "😱",
                  "position": 1203.4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerReaction"
        },
        "ServerVideoReady": {
          "name": "video_ready",
          "title": "video_ready (server → client)",
          "summary": "The party's video finished processing (`processing_state` ready or failed)",
          "description": "Published by the video service on the job bus and delivered to every socket of each party that uses the video.",
          "payload": {
            "type": "object",
            "description": "Published by the video service on the job bus and delivered to every socket of each party that uses the video.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "video_ready"
                ],
                "x-parser-schema-id": "<anonymous-schema-147>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-148>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-149>"
              },
              "payload": {
                "type": "object",
                "description": "Payload of the `video_ready` realtime event, sent on `/ws/party/{partyId}/` to every party that uses the video when its processing finishes (`processing_state` is `ready` or `failed`).",
                "required": [
                  "party_id",
                  "video"
                ],
                "properties": {
                  "party_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-150>"
                  },
                  "video": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload.allOf[1].properties.video.anyOf[0].allOf[0]"
                },
                "examples": [
                  {
                    "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "video": {
                      "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                      "title": "Night of the Living Dead",
                      "duration_seconds": 5760.5,
                      "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                      "processing_state": "ready"
                    }
                  }
                ],
                "x-parser-schema-id": "VideoReadyEvent"
              }
            },
            "examples": [
              {
                "type": "video_ready",
                "ts": 1764086400123,
                "payload": {
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "video": {
                    "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                    "title": "Night of the Living Dead",
                    "duration_seconds": 5760.5,
                    "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                    "processing_state": "ready"
                  }
                }
              }
            ],
            "x-parser-schema-id": "ServerVideoReady"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "video_ready",
                "ts": 1764086400123,
                "payload": {
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "video": {
                    "id": "2a4b6c8d-1e3f-4a5b-9c7d-0e1f2a3b4c5d",
                    "title": "Night of the Living Dead",
                    "duration_seconds": 5760.5,
                    "thumbnail_url": "/media/thumbs/2a4b6c8d.jpg",
                    "processing_state": "ready"
                  }
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerVideoReady"
        }
      },
      "x-access": "participant",
      "x-parser-unique-object-id": "party"
    },
    "chat": {
      "address": "/ws/chat/{partyId}/",
      "title": "chat",
      "summary": "In-party chat: send, live messages, deletions, typing, resume after reconnect",
      "description": "Same authentication and close codes as the party channel. Durable first: a message is stored before it is broadcast. After a reconnect, send `resume` with the last message id seen; the server replays the gap and marks its end with `resume.complete`.",
      "parameters": {
        "partyId": {
          "description": "`partyId` (UUID)."
        }
      },
      "messages": {
        "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh",
        "ClientMessageSend": {
          "name": "message.send",
          "title": "message.send (client → server)",
          "summary": "Send a chat message",
          "description": "Goes through the same chat service as `POST /api/chat/{partyId}/messages/send/`: stored first, then broadcast as `message.created` to everyone, sender included, with the sender's `client_id` for optimistic UI. A retry with the same `client_id` is not stored twice. Throttled like REST (`chat_send`).",
          "payload": {
            "type": "object",
            "description": "Goes through the same chat service as `POST /api/chat/{partyId}/messages/send/`: stored first, then broadcast as `message.created` to everyone, sender included, with the sender's `client_id` for optimistic UI. A retry with the same `client_id` is not stored twice. Throttled like REST (`chat_send`).",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "message.send"
                ],
                "x-parser-schema-id": "<anonymous-schema-152>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-153>"
              },
              "payload": {
                "type": "object",
                "description": "A party chat message to send. `content` is trimmed and stripped of control characters and must keep at least one visible character. A retry with the same `client_id` by the same user returns the stored message instead of storing it twice.",
                "required": [
                  "content"
                ],
                "properties": {
                  "content": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000,
                    "pattern": "[^\\s\\x00-\\x1F\\x7F-\\x9F]",
                    "x-parser-schema-id": "<anonymous-schema-154>"
                  },
                  "reply_to": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "uuid",
                    "description": "Id of a message of the same party.",
                    "x-parser-schema-id": "<anonymous-schema-155>"
                  },
                  "client_id": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_.:-]{1,64}$",
                    "description": "Client-generated idempotency id (unique per user).",
                    "x-parser-schema-id": "<anonymous-schema-156>"
                  }
                },
                "examples": [
                  {
                    "content": "This scene!",
                    "reply_to": null,
                    "client_id": "c-17"
                  }
                ],
                "x-parser-schema-id": "ChatMessageCreate"
              }
            },
            "examples": [
              {
                "type": "message.send",
                "id": "c-42",
                "payload": {
                  "content": "This scene!",
                  "reply_to": null,
                  "client_id": "c-17"
                }
              }
            ],
            "x-parser-schema-id": "ClientMessageSend"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "message.send",
                "id": "c-42",
                "payload": {
                  "content": "This scene!",
                  "reply_to": null,
                  "client_id": "c-17"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientMessageSend"
        },
        "ClientTyping": {
          "name": "typing",
          "title": "typing (client → server)",
          "summary": "Typing indicator: start/stop (client) / someone is typing (server, with the user)",
          "description": "Not stored; rate-limited.",
          "payload": {
            "type": "object",
            "description": "Not stored; rate-limited.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "typing"
                ],
                "x-parser-schema-id": "<anonymous-schema-157>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-158>"
              },
              "payload": {
                "type": "object",
                "description": "Send `start` when the user types (again every ~3 s while typing) and `stop` when they stop or send; the server broadcasts `stop` itself after 5 s without a `start`.",
                "required": [
                  "state"
                ],
                "properties": {
                  "state": {
                    "type": "string",
                    "enum": [
                      "start",
                      "stop"
                    ],
                    "examples": [
                      "start"
                    ],
                    "x-parser-schema-id": "TypingState"
                  }
                },
                "examples": [
                  {
                    "state": "start"
                  }
                ],
                "x-parser-schema-id": "TypingUpdate"
              }
            },
            "examples": [
              {
                "type": "typing",
                "id": "c-42",
                "payload": {
                  "state": "start"
                }
              }
            ],
            "x-parser-schema-id": "ClientTyping"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "typing",
                "id": "c-42",
                "payload": {
                  "state": "start"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientTyping"
        },
        "ClientResume": {
          "name": "resume",
          "title": "resume (client → server)",
          "summary": "Replay what this client missed since a message id",
          "description": "The server replays every later message as `message.created`, oldest first, then sends `resume.complete`. An unknown `since` gets `error` `not_found`; reload the history over REST.",
          "payload": {
            "type": "object",
            "description": "The server replays every later message as `message.created`, oldest first, then sends `resume.complete`. An unknown `since` gets `error` `not_found`; reload the history over REST.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "resume"
                ],
                "x-parser-schema-id": "<anonymous-schema-159>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-160>"
              },
              "payload": {
                "type": "object",
                "description": "Sent after a reconnect with the id of the last message this client saw.",
                "required": [
                  "since"
                ],
                "properties": {
                  "since": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-161>"
                  }
                },
                "examples": [
                  {
                    "since": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
                  }
                ],
                "x-parser-schema-id": "ChatResume"
              }
            },
            "examples": [
              {
                "type": "resume",
                "id": "c-42",
                "payload": {
                  "since": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
                }
              }
            ],
            "x-parser-schema-id": "ClientResume"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "resume",
                "id": "c-42",
                "payload": {
                  "since": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientResume"
        },
        "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome",
        "ServerError": "$ref:$.channels.party.messages.ServerError",
        "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring",
        "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "ServerMessageCreated": {
          "name": "message.created",
          "title": "message.created (server → client)",
          "summary": "A stored chat message (live, or replayed after resume)",
          "payload": {
            "type": "object",
            "description": "A stored chat message (live, or replayed after resume)",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "message.created"
                ],
                "x-parser-schema-id": "<anonymous-schema-162>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-163>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-164>"
              },
              "payload": {
                "type": "object",
                "description": "A party chat message. Removed messages keep their place with empty content.",
                "required": [
                  "id",
                  "party_id",
                  "author",
                  "content",
                  "reply_to",
                  "client_id",
                  "created_at",
                  "deleted"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-165>"
                  },
                  "party_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-166>"
                  },
                  "author": {
                    "anyOf": [
                      {
                        "allOf": [
                          "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user"
                        ],
                        "description": "Null once the author's account is deleted.",
                        "x-parser-schema-id": "<anonymous-schema-168>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-169>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-167>"
                  },
                  "content": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-170>"
                  },
                  "reply_to": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-171>"
                  },
                  "client_id": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "The sender's idempotency id, echoed for optimistic UI.",
                    "x-parser-schema-id": "<anonymous-schema-172>"
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time",
                    "x-parser-schema-id": "<anonymous-schema-173>"
                  },
                  "deleted": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-174>"
                  }
                },
                "examples": [
                  {
                    "id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                    "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "author": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    },
                    "content": "This scene!",
                    "reply_to": null,
                    "client_id": "c-17",
                    "created_at": "2026-11-25T20:03:12Z",
                    "deleted": false
                  }
                ],
                "x-parser-schema-id": "ChatMessage"
              }
            },
            "examples": [
              {
                "type": "message.created",
                "ts": 1764086400123,
                "payload": {
                  "id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "author": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "content": "This scene!",
                  "reply_to": null,
                  "client_id": "c-17",
                  "created_at": "2026-11-25T20:03:12Z",
                  "deleted": false
                }
              }
            ],
            "x-parser-schema-id": "ServerMessageCreated"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "message.created",
                "ts": 1764086400123,
                "payload": {
                  "id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "author": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "content": "This scene!",
                  "reply_to": null,
                  "client_id": "c-17",
                  "created_at": "2026-11-25T20:03:12Z",
                  "deleted": false
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerMessageCreated"
        },
        "ServerMessageDeleted": {
          "name": "message.deleted",
          "title": "message.deleted (server → client)",
          "summary": "A chat message was removed",
          "payload": {
            "type": "object",
            "description": "A chat message was removed",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "message.deleted"
                ],
                "x-parser-schema-id": "<anonymous-schema-175>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-176>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-177>"
              },
              "payload": {
                "type": "object",
                "description": "A message was removed (soft delete); show it as removed.",
                "required": [
                  "message_id",
                  "party_id",
                  "deleted_by"
                ],
                "properties": {
                  "message_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-178>"
                  },
                  "party_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-179>"
                  },
                  "deleted_by": {
                    "anyOf": [
                      {
                        "allOf": [
                          "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user"
                        ],
                        "description": "The author, the host or a moderator; null for automatic removals.",
                        "x-parser-schema-id": "<anonymous-schema-181>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-182>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-180>"
                  }
                },
                "examples": [
                  {
                    "message_id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                    "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "deleted_by": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    }
                  }
                ],
                "x-parser-schema-id": "ChatMessageDeleted"
              }
            },
            "examples": [
              {
                "type": "message.deleted",
                "ts": 1764086400123,
                "payload": {
                  "message_id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "deleted_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  }
                }
              }
            ],
            "x-parser-schema-id": "ServerMessageDeleted"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "message.deleted",
                "ts": 1764086400123,
                "payload": {
                  "message_id": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "deleted_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  }
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerMessageDeleted"
        },
        "ServerTyping": {
          "name": "typing",
          "title": "typing (server → client)",
          "summary": "Typing indicator: start/stop (client) / someone is typing (server, with the user)",
          "description": "Not stored; rate-limited.",
          "payload": {
            "type": "object",
            "description": "Not stored; rate-limited.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "typing"
                ],
                "x-parser-schema-id": "<anonymous-schema-183>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-184>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-185>"
              },
              "payload": {
                "type": "object",
                "description": "Someone else started or stopped typing (never echoed to the sender's own sockets).",
                "required": [
                  "user",
                  "state"
                ],
                "properties": {
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "state": "$ref:$.channels.chat.messages.ClientTyping.payload.properties.payload.properties.state"
                },
                "examples": [
                  {
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "state": "start"
                  }
                ],
                "x-parser-schema-id": "TypingEvent"
              }
            },
            "examples": [
              {
                "type": "typing",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "state": "start"
                }
              }
            ],
            "x-parser-schema-id": "ServerTyping"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "typing",
                "ts": 1764086400123,
                "payload": {
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "state": "start"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerTyping"
        },
        "ServerResumeComplete": {
          "name": "resume.complete",
          "title": "resume.complete (server → client)",
          "summary": "End of the replay that answers resume",
          "payload": {
            "type": "object",
            "description": "End of the replay that answers resume",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "resume.complete"
                ],
                "x-parser-schema-id": "<anonymous-schema-186>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-187>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-188>"
              },
              "payload": {
                "type": "object",
                "description": "End of the replay that answers `resume`: every message stored after `since` was sent before this marker as `message.created` (deleted ones with `deleted: true`), oldest first. Live messages that arrive during the replay come either in it or after the marker, never lost; dedupe by id. `truncated`: more than the replay cap were missed, fetch the rest with `GET /api/chat/{partyId}/messages/?since=<last_id>`.",
                "required": [
                  "since",
                  "replayed",
                  "last_id",
                  "truncated"
                ],
                "properties": {
                  "since": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-189>"
                  },
                  "replayed": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-190>"
                  },
                  "last_id": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "format": "uuid",
                    "description": "Id of the last replayed message; null when none was missed.",
                    "x-parser-schema-id": "<anonymous-schema-191>"
                  },
                  "truncated": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-192>"
                  }
                },
                "examples": [
                  {
                    "since": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                    "replayed": 2,
                    "last_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
                    "truncated": false
                  }
                ],
                "x-parser-schema-id": "ChatResumeComplete"
              }
            },
            "examples": [
              {
                "type": "resume.complete",
                "ts": 1764086400123,
                "payload": {
                  "since": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                  "replayed": 2,
                  "last_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
                  "truncated": false
                }
              }
            ],
            "x-parser-schema-id": "ServerResumeComplete"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "resume.complete",
                "ts": 1764086400123,
                "payload": {
                  "since": "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                  "replayed": 2,
                  "last_id": "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b",
                  "truncated": false
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerResumeComplete"
        }
      },
      "x-access": "participant",
      "x-parser-unique-object-id": "chat"
    },
    "notifications": {
      "address": "/ws/notifications/",
      "title": "notifications",
      "summary": "The user's notifications as they are created, and read state synced across tabs",
      "description": "Any logged-in user; same authentication and close codes (4401) as the other channels.",
      "messages": {
        "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh",
        "ClientNotificationRead": {
          "name": "notification.read",
          "title": "notification.read (client → server)",
          "summary": "Mark notifications read (client) / notifications were read in some tab (server)",
          "description": "Both directions keep the user's tabs in sync: a read from any tab, over WS or REST (including read-all), is sent to every socket of the user.",
          "payload": {
            "type": "object",
            "description": "Both directions keep the user's tabs in sync: a read from any tab, over WS or REST (including read-all), is sent to every socket of the user.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "notification.read"
                ],
                "x-parser-schema-id": "<anonymous-schema-193>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-194>"
              },
              "payload": {
                "type": "object",
                "description": "Mark these notifications of the caller as read (same effect as the REST read endpoint).",
                "required": [
                  "ids"
                ],
                "properties": {
                  "ids": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 100,
                    "uniqueItems": true,
                    "items": {
                      "type": "string",
                      "format": "uuid",
                      "x-parser-schema-id": "<anonymous-schema-196>"
                    },
                    "x-parser-schema-id": "<anonymous-schema-195>"
                  }
                },
                "examples": [
                  {
                    "ids": [
                      "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"
                    ]
                  }
                ],
                "x-parser-schema-id": "NotificationReadCommand"
              }
            },
            "examples": [
              {
                "type": "notification.read",
                "id": "c-42",
                "payload": {
                  "ids": [
                    "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ClientNotificationRead"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "notification.read",
                "id": "c-42",
                "payload": {
                  "ids": [
                    "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientNotificationRead"
        },
        "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome",
        "ServerError": "$ref:$.channels.party.messages.ServerError",
        "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring",
        "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "ServerNotificationCreated": {
          "name": "notification.created",
          "title": "notification.created (server → client)",
          "summary": "A new notification for the user (toast)",
          "payload": {
            "type": "object",
            "description": "A new notification for the user (toast)",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "notification.created"
                ],
                "x-parser-schema-id": "<anonymous-schema-197>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-198>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-199>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "id",
                  "type",
                  "title",
                  "body",
                  "data",
                  "read",
                  "created_at"
                ],
                "properties": {
                  "id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-200>"
                  },
                  "type": {
                    "type": "string",
                    "enum": [
                      "party_invitation",
                      "party_updated",
                      "party_cancelled",
                      "party_starting",
                      "party_kicked",
                      "host_transferred",
                      "message_received",
                      "video_ready",
                      "video_failed",
                      "report_resolved",
                      "account_warning",
                      "system",
                      "invitation_accepted",
                      "join_requested",
                      "join_approved",
                      "support_reply"
                    ],
                    "examples": [
                      "party_invitation"
                    ],
                    "x-parser-schema-id": "NotificationType"
                  },
                  "title": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-201>"
                  },
                  "body": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-202>"
                  },
                  "data": {
                    "type": "object",
                    "additionalProperties": true,
                    "description": "Ids the client needs to link the toast (party_id, invitation_id, ...).",
                    "x-parser-schema-id": "<anonymous-schema-203>"
                  },
                  "read": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-204>"
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time",
                    "x-parser-schema-id": "<anonymous-schema-205>"
                  }
                },
                "examples": [
                  {
                    "id": "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e",
                    "type": "party_invitation",
                    "title": "Ana invited you to Friday Horror Night",
                    "body": "Starts Fri 20:00 UTC.",
                    "data": {
                      "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                      "invitation_id": "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"
                    },
                    "read": false,
                    "created_at": "2026-11-24T09:00:00Z"
                  }
                ],
                "x-parser-schema-id": "Notification"
              }
            },
            "examples": [
              {
                "type": "notification.created",
                "ts": 1764086400123,
                "payload": {
                  "id": "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e",
                  "type": "party_invitation",
                  "title": "Ana invited you to Friday Horror Night",
                  "body": "Starts Fri 20:00 UTC.",
                  "data": {
                    "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "invitation_id": "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"
                  },
                  "read": false,
                  "created_at": "2026-11-24T09:00:00Z"
                }
              }
            ],
            "x-parser-schema-id": "ServerNotificationCreated"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "notification.created",
                "ts": 1764086400123,
                "payload": {
                  "id": "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e",
                  "type": "party_invitation",
                  "title": "Ana invited you to Friday Horror Night",
                  "body": "Starts Fri 20:00 UTC.",
                  "data": {
                    "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                    "invitation_id": "4c5d6e7f-8a9b-4c0d-9e1f-2a3b4c5d6e7f"
                  },
                  "read": false,
                  "created_at": "2026-11-24T09:00:00Z"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerNotificationCreated"
        },
        "ServerNotificationRead": {
          "name": "notification.read",
          "title": "notification.read (server → client)",
          "summary": "Mark notifications read (client) / notifications were read in some tab (server)",
          "description": "Both directions keep the user's tabs in sync: a read from any tab, over WS or REST (including read-all), is sent to every socket of the user.",
          "payload": {
            "type": "object",
            "description": "Both directions keep the user's tabs in sync: a read from any tab, over WS or REST (including read-all), is sent to every socket of the user.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "notification.read"
                ],
                "x-parser-schema-id": "<anonymous-schema-206>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-207>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-208>"
              },
              "payload": {
                "type": "object",
                "description": "Notifications were marked read (from any tab, over WS or REST); sent to every socket of the user so all tabs agree. `all: true` (read-all) means every notification up to now, and `ids` is empty.",
                "required": [
                  "ids",
                  "all",
                  "unread_count"
                ],
                "properties": {
                  "ids": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "format": "uuid",
                      "x-parser-schema-id": "<anonymous-schema-210>"
                    },
                    "x-parser-schema-id": "<anonymous-schema-209>"
                  },
                  "all": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-211>"
                  },
                  "unread_count": {
                    "type": "integer",
                    "minimum": 0,
                    "x-parser-schema-id": "<anonymous-schema-212>"
                  }
                },
                "examples": [
                  {
                    "ids": [
                      "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"
                    ],
                    "all": false,
                    "unread_count": 4
                  }
                ],
                "x-parser-schema-id": "NotificationReadEvent"
              }
            },
            "examples": [
              {
                "type": "notification.read",
                "ts": 1764086400123,
                "payload": {
                  "ids": [
                    "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"
                  ],
                  "all": false,
                  "unread_count": 4
                }
              }
            ],
            "x-parser-schema-id": "ServerNotificationRead"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "notification.read",
                "ts": 1764086400123,
                "payload": {
                  "ids": [
                    "3b4c5d6e-7f8a-4b9c-8d0e-1f2a3b4c5d6e"
                  ],
                  "all": false,
                  "unread_count": 4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerNotificationRead"
        }
      },
      "x-parser-unique-object-id": "notifications"
    },
    "polls": {
      "address": "/ws/interactive/{partyId}/polls/",
      "title": "polls",
      "summary": "Party polls: host creates and closes, participants vote once, live results",
      "description": "On join: `session.welcome` then `poll.list`. Polls are stored and appear in the party detail.",
      "parameters": {
        "partyId": {
          "description": "`partyId` (UUID)."
        }
      },
      "messages": {
        "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh",
        "ClientPollCreate": {
          "name": "poll.create",
          "title": "poll.create (client → server)",
          "summary": "Host creates a poll",
          "description": "Host only. The poll is stored (it appears in the party detail) and broadcast as `poll.created`.",
          "payload": {
            "type": "object",
            "description": "Host only. The poll is stored (it appears in the party detail) and broadcast as `poll.created`.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.create"
                ],
                "x-parser-schema-id": "<anonymous-schema-214>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-215>"
              },
              "payload": {
                "type": "object",
                "description": "Host only. A new poll in the party; `duration_seconds` closes it automatically.",
                "required": [
                  "question",
                  "options"
                ],
                "properties": {
                  "question": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200,
                    "pattern": "[^\\s\\x00-\\x1F\\x7F-\\x9F]",
                    "x-parser-schema-id": "<anonymous-schema-216>"
                  },
                  "options": {
                    "type": "array",
                    "minItems": 2,
                    "maxItems": 10,
                    "uniqueItems": true,
                    "items": {
                      "type": "string",
                      "minLength": 1,
                      "maxLength": 100,
                      "pattern": "[^\\s\\x00-\\x1F\\x7F-\\x9F]",
                      "x-parser-schema-id": "<anonymous-schema-218>"
                    },
                    "x-parser-schema-id": "<anonymous-schema-217>"
                  },
                  "multiple": {
                    "type": "boolean",
                    "default": false,
                    "x-parser-schema-id": "<anonymous-schema-219>"
                  },
                  "duration_seconds": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "minimum": 10,
                    "maximum": 86400,
                    "x-parser-schema-id": "<anonymous-schema-220>"
                  }
                },
                "examples": [
                  {
                    "question": "Sequel next?",
                    "options": [
                      "Yes",
                      "No"
                    ],
                    "multiple": false,
                    "duration_seconds": 120
                  }
                ],
                "x-parser-schema-id": "PollCreate"
              }
            },
            "examples": [
              {
                "type": "poll.create",
                "id": "c-42",
                "payload": {
                  "question": "Sequel next?",
                  "options": [
                    "Yes",
                    "No"
                  ],
                  "multiple": false,
                  "duration_seconds": 120
                }
              }
            ],
            "x-parser-schema-id": "ClientPollCreate"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.create",
                "id": "c-42",
                "payload": {
                  "question": "Sequel next?",
                  "options": [
                    "Yes",
                    "No"
                  ],
                  "multiple": false,
                  "duration_seconds": 120
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPollCreate"
        },
        "ClientPollVote": {
          "name": "poll.vote",
          "title": "poll.vote (client → server)",
          "summary": "Vote in an open poll",
          "description": "Once per user and poll: a second vote gets `already_voted`, a closed poll `poll_closed`. Everyone then receives `poll.results`.",
          "payload": {
            "type": "object",
            "description": "Once per user and poll: a second vote gets `already_voted`, a closed poll `poll_closed`. Everyone then receives `poll.results`.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.vote"
                ],
                "x-parser-schema-id": "<anonymous-schema-221>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-222>"
              },
              "payload": {
                "type": "object",
                "description": "One vote per user and poll (one option unless the poll is `multiple`); a second vote gets `already_voted`.",
                "required": [
                  "poll_id",
                  "option_ids"
                ],
                "properties": {
                  "poll_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-223>"
                  },
                  "option_ids": {
                    "type": "array",
                    "minItems": 1,
                    "maxItems": 10,
                    "uniqueItems": true,
                    "items": {
                      "type": "string",
                      "format": "uuid",
                      "x-parser-schema-id": "<anonymous-schema-225>"
                    },
                    "x-parser-schema-id": "<anonymous-schema-224>"
                  }
                },
                "examples": [
                  {
                    "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                    "option_ids": [
                      "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                    ]
                  }
                ],
                "x-parser-schema-id": "PollVote"
              }
            },
            "examples": [
              {
                "type": "poll.vote",
                "id": "c-42",
                "payload": {
                  "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "option_ids": [
                    "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ClientPollVote"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.vote",
                "id": "c-42",
                "payload": {
                  "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "option_ids": [
                    "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPollVote"
        },
        "ClientPollClose": {
          "name": "poll.close",
          "title": "poll.close (client → server)",
          "summary": "Host closes a poll",
          "payload": {
            "type": "object",
            "description": "Host closes a poll",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.close"
                ],
                "x-parser-schema-id": "<anonymous-schema-226>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-227>"
              },
              "payload": {
                "type": "object",
                "description": "Host only. Close a poll now.",
                "required": [
                  "poll_id"
                ],
                "properties": {
                  "poll_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-228>"
                  }
                },
                "examples": [
                  {
                    "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
                  }
                ],
                "x-parser-schema-id": "PollClose"
              }
            },
            "examples": [
              {
                "type": "poll.close",
                "id": "c-42",
                "payload": {
                  "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
                }
              }
            ],
            "x-parser-schema-id": "ClientPollClose"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.close",
                "id": "c-42",
                "payload": {
                  "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientPollClose"
        },
        "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome",
        "ServerError": "$ref:$.channels.party.messages.ServerError",
        "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring",
        "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "ServerPollList": {
          "name": "poll.list",
          "title": "poll.list (server → client)",
          "summary": "The party's polls and the caller's own votes, sent on join",
          "payload": {
            "type": "object",
            "description": "The party's polls and the caller's own votes, sent on join",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.list"
                ],
                "x-parser-schema-id": "<anonymous-schema-229>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-230>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-231>"
              },
              "payload": {
                "type": "object",
                "description": "Sent on join; the party's polls (open first, then closed, newest first) and the caller's own votes.",
                "required": [
                  "polls",
                  "my_votes"
                ],
                "properties": {
                  "polls": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "id",
                        "party_id",
                        "question",
                        "options",
                        "multiple",
                        "status",
                        "created_by",
                        "created_at",
                        "closes_at",
                        "total_votes"
                      ],
                      "properties": {
                        "id": {
                          "type": "string",
                          "format": "uuid",
                          "x-parser-schema-id": "<anonymous-schema-233>"
                        },
                        "party_id": {
                          "type": "string",
                          "format": "uuid",
                          "x-parser-schema-id": "<anonymous-schema-234>"
                        },
                        "question": {
                          "type": "string",
                          "x-parser-schema-id": "<anonymous-schema-235>"
                        },
                        "options": {
                          "type": "array",
                          "items": {
                            "type": "object",
                            "required": [
                              "id",
                              "text",
                              "votes"
                            ],
                            "properties": {
                              "id": {
                                "type": "string",
                                "format": "uuid",
                                "x-parser-schema-id": "<anonymous-schema-237>"
                              },
                              "text": {
                                "type": "string",
                                "x-parser-schema-id": "<anonymous-schema-238>"
                              },
                              "votes": {
                                "type": "integer",
                                "minimum": 0,
                                "x-parser-schema-id": "<anonymous-schema-239>"
                              }
                            },
                            "examples": [
                              {
                                "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                                "text": "Yes",
                                "votes": 3
                              }
                            ],
                            "x-parser-schema-id": "PollOption"
                          },
                          "x-parser-schema-id": "<anonymous-schema-236>"
                        },
                        "multiple": {
                          "type": "boolean",
                          "description": "Whether a voter may pick several options.",
                          "x-parser-schema-id": "<anonymous-schema-240>"
                        },
                        "status": {
                          "type": "string",
                          "enum": [
                            "open",
                            "closed"
                          ],
                          "examples": [
                            "open"
                          ],
                          "x-parser-schema-id": "PollStatus"
                        },
                        "created_by": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                        "created_at": {
                          "type": "string",
                          "format": "date-time",
                          "x-parser-schema-id": "<anonymous-schema-241>"
                        },
                        "closes_at": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "format": "date-time",
                          "x-parser-schema-id": "<anonymous-schema-242>"
                        },
                        "total_votes": {
                          "type": "integer",
                          "minimum": 0,
                          "x-parser-schema-id": "<anonymous-schema-243>"
                        }
                      },
                      "examples": [
                        {
                          "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                          "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                          "question": "Sequel next?",
                          "options": [
                            {
                              "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                              "text": "Yes",
                              "votes": 3
                            },
                            {
                              "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                              "text": "No",
                              "votes": 1
                            }
                          ],
                          "multiple": false,
                          "status": "open",
                          "created_by": {
                            "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                            "username": "ana",
                            "display_name": "Ana Lima",
                            "avatar_url": null
                          },
                          "created_at": "2026-11-25T20:05:00Z",
                          "closes_at": null,
                          "total_votes": 4
                        }
                      ],
                      "x-parser-schema-id": "Poll"
                    },
                    "x-parser-schema-id": "<anonymous-schema-232>"
                  },
                  "my_votes": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "description": "The options the caller voted for in one poll.",
                      "required": [
                        "poll_id",
                        "option_ids"
                      ],
                      "properties": {
                        "poll_id": {
                          "type": "string",
                          "format": "uuid",
                          "x-parser-schema-id": "<anonymous-schema-245>"
                        },
                        "option_ids": {
                          "type": "array",
                          "items": {
                            "type": "string",
                            "format": "uuid",
                            "x-parser-schema-id": "<anonymous-schema-247>"
                          },
                          "x-parser-schema-id": "<anonymous-schema-246>"
                        }
                      },
                      "examples": [
                        {
                          "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                          "option_ids": [
                            "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                          ]
                        }
                      ],
                      "x-parser-schema-id": "PollBallot"
                    },
                    "x-parser-schema-id": "<anonymous-schema-244>"
                  }
                },
                "examples": [
                  {
                    "polls": [
                      {
                        "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                        "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                        "question": "Sequel next?",
                        "options": [
                          {
                            "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                            "text": "Yes",
                            "votes": 3
                          },
                          {
                            "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                            "text": "No",
                            "votes": 1
                          }
                        ],
                        "multiple": false,
                        "status": "open",
                        "created_by": {
                          "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                          "username": "ana",
                          "display_name": "Ana Lima",
                          "avatar_url": null
                        },
                        "created_at": "2026-11-25T20:05:00Z",
                        "closes_at": null,
                        "total_votes": 4
                      }
                    ],
                    "my_votes": [
                      {
                        "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                        "option_ids": [
                          "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                        ]
                      }
                    ]
                  }
                ],
                "x-parser-schema-id": "PollList"
              }
            },
            "examples": [
              {
                "type": "poll.list",
                "ts": 1764086400123,
                "payload": {
                  "polls": [
                    {
                      "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                      "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                      "question": "Sequel next?",
                      "options": [
                        {
                          "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                          "text": "Yes",
                          "votes": 3
                        },
                        {
                          "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                          "text": "No",
                          "votes": 1
                        }
                      ],
                      "multiple": false,
                      "status": "open",
                      "created_by": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "created_at": "2026-11-25T20:05:00Z",
                      "closes_at": null,
                      "total_votes": 4
                    }
                  ],
                  "my_votes": [
                    {
                      "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                      "option_ids": [
                        "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                      ]
                    }
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ServerPollList"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.list",
                "ts": 1764086400123,
                "payload": {
                  "polls": [
                    {
                      "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                      "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                      "question": "Sequel next?",
                      "options": [
                        {
                          "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                          "text": "Yes",
                          "votes": 3
                        },
                        {
                          "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                          "text": "No",
                          "votes": 1
                        }
                      ],
                      "multiple": false,
                      "status": "open",
                      "created_by": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "created_at": "2026-11-25T20:05:00Z",
                      "closes_at": null,
                      "total_votes": 4
                    }
                  ],
                  "my_votes": [
                    {
                      "poll_id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                      "option_ids": [
                        "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5"
                      ]
                    }
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPollList"
        },
        "ServerPollCreated": {
          "name": "poll.created",
          "title": "poll.created (server → client)",
          "summary": "A new poll",
          "payload": {
            "type": "object",
            "description": "A new poll",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.created"
                ],
                "x-parser-schema-id": "<anonymous-schema-248>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-249>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-250>"
              },
              "payload": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.polls.items"
            },
            "examples": [
              {
                "type": "poll.created",
                "ts": 1764086400123,
                "payload": {
                  "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "question": "Sequel next?",
                  "options": [
                    {
                      "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                      "text": "Yes",
                      "votes": 3
                    },
                    {
                      "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                      "text": "No",
                      "votes": 1
                    }
                  ],
                  "multiple": false,
                  "status": "open",
                  "created_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "created_at": "2026-11-25T20:05:00Z",
                  "closes_at": null,
                  "total_votes": 4
                }
              }
            ],
            "x-parser-schema-id": "ServerPollCreated"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.created",
                "ts": 1764086400123,
                "payload": {
                  "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "question": "Sequel next?",
                  "options": [
                    {
                      "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                      "text": "Yes",
                      "votes": 3
                    },
                    {
                      "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                      "text": "No",
                      "votes": 1
                    }
                  ],
                  "multiple": false,
                  "status": "open",
                  "created_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "created_at": "2026-11-25T20:05:00Z",
                  "closes_at": null,
                  "total_votes": 4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPollCreated"
        },
        "ServerPollResults": {
          "name": "poll.results",
          "title": "poll.results (server → client)",
          "summary": "Live results of a poll after a vote",
          "payload": {
            "type": "object",
            "description": "Live results of a poll after a vote",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.results"
                ],
                "x-parser-schema-id": "<anonymous-schema-251>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-252>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-253>"
              },
              "payload": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.polls.items"
            },
            "examples": [
              {
                "type": "poll.results",
                "ts": 1764086400123,
                "payload": {
                  "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "question": "Sequel next?",
                  "options": [
                    {
                      "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                      "text": "Yes",
                      "votes": 3
                    },
                    {
                      "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                      "text": "No",
                      "votes": 1
                    }
                  ],
                  "multiple": false,
                  "status": "open",
                  "created_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "created_at": "2026-11-25T20:05:00Z",
                  "closes_at": null,
                  "total_votes": 4
                }
              }
            ],
            "x-parser-schema-id": "ServerPollResults"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.results",
                "ts": 1764086400123,
                "payload": {
                  "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "question": "Sequel next?",
                  "options": [
                    {
                      "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                      "text": "Yes",
                      "votes": 3
                    },
                    {
                      "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                      "text": "No",
                      "votes": 1
                    }
                  ],
                  "multiple": false,
                  "status": "open",
                  "created_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "created_at": "2026-11-25T20:05:00Z",
                  "closes_at": null,
                  "total_votes": 4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPollResults"
        },
        "ServerPollClosed": {
          "name": "poll.closed",
          "title": "poll.closed (server → client)",
          "summary": "A poll closed (by the host or its timer) with its final results",
          "payload": {
            "type": "object",
            "description": "A poll closed (by the host or its timer) with its final results",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "poll.closed"
                ],
                "x-parser-schema-id": "<anonymous-schema-254>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-255>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-256>"
              },
              "payload": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.polls.items"
            },
            "examples": [
              {
                "type": "poll.closed",
                "ts": 1764086400123,
                "payload": {
                  "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "question": "Sequel next?",
                  "options": [
                    {
                      "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                      "text": "Yes",
                      "votes": 3
                    },
                    {
                      "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                      "text": "No",
                      "votes": 1
                    }
                  ],
                  "multiple": false,
                  "status": "open",
                  "created_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "created_at": "2026-11-25T20:05:00Z",
                  "closes_at": null,
                  "total_votes": 4
                }
              }
            ],
            "x-parser-schema-id": "ServerPollClosed"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "poll.closed",
                "ts": 1764086400123,
                "payload": {
                  "id": "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b",
                  "party_id": "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
                  "question": "Sequel next?",
                  "options": [
                    {
                      "id": "0c1d2e3f-4a5b-4c6d-8e7f-a0b1c2d3e4f5",
                      "text": "Yes",
                      "votes": 3
                    },
                    {
                      "id": "1d2e3f4a-5b6c-4d7e-8f9a-b0c1d2e3f4a5",
                      "text": "No",
                      "votes": 1
                    }
                  ],
                  "multiple": false,
                  "status": "open",
                  "created_by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "created_at": "2026-11-25T20:05:00Z",
                  "closes_at": null,
                  "total_votes": 4
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerPollClosed"
        }
      },
      "x-access": "participant",
      "x-parser-unique-object-id": "polls"
    },
    "screen_share": {
      "address": "/ws/interactive/{partyId}/screen-share/",
      "title": "screen_share",
      "summary": "WebRTC signaling relay for screen sharing, with who is sharing",
      "description": "The server relays signaling only (media flows peer to peer). Peer ids are the `connection_id`s of this channel's sockets (from `session.welcome` and `share.state`). On join: `session.welcome` then `share.state`. A sharer announces `share.start`, then sends `rtc.offer` to each viewer; viewers answer with `rtc.answer`; both trickle `rtc.ice`.",
      "parameters": {
        "partyId": {
          "description": "`partyId` (UUID)."
        }
      },
      "messages": {
        "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh",
        "ClientRtcOffer": {
          "name": "rtc.offer",
          "title": "rtc.offer (client → server)",
          "summary": "WebRTC offer, addressed to one peer",
          "description": "The client names the peer in `to` (a `peer_id`/`connection_id` of this channel); the server relays it to that socket only, with `from` and the sender's user. `peer_not_found` when the peer is gone.",
          "payload": {
            "type": "object",
            "description": "The client names the peer in `to` (a `peer_id`/`connection_id` of this channel); the server relays it to that socket only, with `from` and the sender's user. `peer_not_found` when the peer is gone.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.offer"
                ],
                "x-parser-schema-id": "<anonymous-schema-258>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-259>"
              },
              "payload": {
                "type": "object",
                "description": "An SDP offer for one peer (its `connection_id` on this channel).",
                "required": [
                  "to",
                  "sdp"
                ],
                "properties": {
                  "to": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-260>"
                  },
                  "sdp": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 32768,
                    "x-parser-schema-id": "<anonymous-schema-261>"
                  }
                },
                "examples": [
                  {
                    "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                    "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                  }
                ],
                "x-parser-schema-id": "RtcOfferOut"
              }
            },
            "examples": [
              {
                "type": "rtc.offer",
                "id": "c-42",
                "payload": {
                  "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            ],
            "x-parser-schema-id": "ClientRtcOffer"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.offer",
                "id": "c-42",
                "payload": {
                  "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientRtcOffer"
        },
        "ClientRtcAnswer": {
          "name": "rtc.answer",
          "title": "rtc.answer (client → server)",
          "summary": "WebRTC answer, addressed to one peer",
          "payload": {
            "type": "object",
            "description": "WebRTC answer, addressed to one peer",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.answer"
                ],
                "x-parser-schema-id": "<anonymous-schema-262>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-263>"
              },
              "payload": {
                "type": "object",
                "description": "The SDP answer to an offer, for the peer that sent it.",
                "required": [
                  "to",
                  "sdp"
                ],
                "properties": {
                  "to": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-264>"
                  },
                  "sdp": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 32768,
                    "x-parser-schema-id": "<anonymous-schema-265>"
                  }
                },
                "examples": [
                  {
                    "to": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                    "sdp": "v=0\r\no=- 7214587523685120114 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                  }
                ],
                "x-parser-schema-id": "RtcAnswerOut"
              }
            },
            "examples": [
              {
                "type": "rtc.answer",
                "id": "c-42",
                "payload": {
                  "to": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "sdp": "v=0\r\no=- 7214587523685120114 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            ],
            "x-parser-schema-id": "ClientRtcAnswer"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.answer",
                "id": "c-42",
                "payload": {
                  "to": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "sdp": "v=0\r\no=- 7214587523685120114 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientRtcAnswer"
        },
        "ClientRtcIce": {
          "name": "rtc.ice",
          "title": "rtc.ice (client → server)",
          "summary": "Trickled ICE candidate, addressed to one peer",
          "payload": {
            "type": "object",
            "description": "Trickled ICE candidate, addressed to one peer",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.ice"
                ],
                "x-parser-schema-id": "<anonymous-schema-266>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-267>"
              },
              "payload": {
                "type": "object",
                "description": "A trickled ICE candidate for one peer; a null `candidate` signals the end of candidates.",
                "required": [
                  "to",
                  "candidate"
                ],
                "properties": {
                  "to": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-268>"
                  },
                  "candidate": {
                    "anyOf": [
                      {
                        "allOf": [
                          {
                            "type": "object",
                            "description": "The browser's RTCIceCandidateInit, passed through as is (hence camelCase).",
                            "required": [
                              "candidate"
                            ],
                            "properties": {
                              "candidate": {
                                "type": "string",
                                "maxLength": 4096,
                                "x-parser-schema-id": "<anonymous-schema-271>"
                              },
                              "sdpMid": {
                                "type": [
                                  "string",
                                  "null"
                                ],
                                "maxLength": 64,
                                "x-parser-schema-id": "<anonymous-schema-272>"
                              },
                              "sdpMLineIndex": {
                                "type": [
                                  "integer",
                                  "null"
                                ],
                                "minimum": 0,
                                "maximum": 1024,
                                "x-parser-schema-id": "<anonymous-schema-273>"
                              },
                              "usernameFragment": {
                                "type": [
                                  "string",
                                  "null"
                                ],
                                "maxLength": 256,
                                "x-parser-schema-id": "<anonymous-schema-274>"
                              }
                            },
                            "examples": [
                              {
                                "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                                "sdpMid": "0",
                                "sdpMLineIndex": 0,
                                "usernameFragment": "4ZcD"
                              }
                            ],
                            "x-parser-schema-id": "RtcIceCandidate"
                          }
                        ],
                        "x-parser-schema-id": "<anonymous-schema-270>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-275>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-269>"
                  }
                },
                "examples": [
                  {
                    "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                    "candidate": {
                      "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                      "sdpMid": "0",
                      "sdpMLineIndex": 0,
                      "usernameFragment": "4ZcD"
                    }
                  }
                ],
                "x-parser-schema-id": "RtcIceOut"
              }
            },
            "examples": [
              {
                "type": "rtc.ice",
                "id": "c-42",
                "payload": {
                  "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "candidate": {
                    "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                    "sdpMid": "0",
                    "sdpMLineIndex": 0,
                    "usernameFragment": "4ZcD"
                  }
                }
              }
            ],
            "x-parser-schema-id": "ClientRtcIce"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.ice",
                "id": "c-42",
                "payload": {
                  "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "candidate": {
                    "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                    "sdpMid": "0",
                    "sdpMLineIndex": 0,
                    "usernameFragment": "4ZcD"
                  }
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientRtcIce"
        },
        "ClientRtcLeave": {
          "name": "rtc.leave",
          "title": "rtc.leave (client → server)",
          "summary": "Hang up with one peer",
          "description": "Also sent by the server to every peer of the channel, with `from`, when a socket closes.",
          "payload": {
            "type": "object",
            "description": "Also sent by the server to every peer of the channel, with `from`, when a socket closes.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.leave"
                ],
                "x-parser-schema-id": "<anonymous-schema-276>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-277>"
              },
              "payload": {
                "type": "object",
                "description": "Hang up the connection with one peer.",
                "required": [
                  "to"
                ],
                "properties": {
                  "to": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-278>"
                  }
                },
                "examples": [
                  {
                    "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
                  }
                ],
                "x-parser-schema-id": "RtcLeaveOut"
              }
            },
            "examples": [
              {
                "type": "rtc.leave",
                "id": "c-42",
                "payload": {
                  "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
                }
              }
            ],
            "x-parser-schema-id": "ClientRtcLeave"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.leave",
                "id": "c-42",
                "payload": {
                  "to": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientRtcLeave"
        },
        "ClientShareStart": {
          "name": "share.start",
          "title": "share.start (client → server)",
          "summary": "Start sharing the screen",
          "description": "`conflict` when the party's share slots are taken (one sharer at a time by default).",
          "payload": {
            "type": "object",
            "description": "`conflict` when the party's share slots are taken (one sharer at a time by default).",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "share.start"
                ],
                "x-parser-schema-id": "<anonymous-schema-279>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-280>"
              },
              "payload": {
                "type": "object",
                "description": "Announce that this peer starts sharing (then offer to each viewer with `rtc.offer`).",
                "properties": {
                  "surface": {
                    "type": "string",
                    "description": "What is shared (the browser's `displaySurface`).",
                    "enum": [
                      "monitor",
                      "window",
                      "browser"
                    ],
                    "examples": [
                      "browser"
                    ],
                    "x-parser-schema-id": "ShareSurface"
                  },
                  "with_audio": {
                    "type": "boolean",
                    "default": false,
                    "x-parser-schema-id": "<anonymous-schema-281>"
                  }
                },
                "examples": [
                  {
                    "surface": "browser",
                    "with_audio": true
                  }
                ],
                "x-parser-schema-id": "ShareStart"
              }
            },
            "examples": [
              {
                "type": "share.start",
                "id": "c-42",
                "payload": {
                  "surface": "browser",
                  "with_audio": true
                }
              }
            ],
            "x-parser-schema-id": "ClientShareStart"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "share.start",
                "id": "c-42",
                "payload": {
                  "surface": "browser",
                  "with_audio": true
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientShareStart"
        },
        "ClientShareStop": {
          "name": "share.stop",
          "title": "share.stop (client → server)",
          "summary": "Stop sharing the screen",
          "payload": {
            "type": "object",
            "description": "Stop sharing the screen",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "share.stop"
                ],
                "x-parser-schema-id": "<anonymous-schema-282>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-283>"
              },
              "payload": "$ref:$.channels.party.messages.ClientBuffered.payload.properties.payload"
            },
            "examples": [
              {
                "type": "share.stop",
                "id": "c-42",
                "payload": {}
              }
            ],
            "x-parser-schema-id": "ClientShareStop"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "share.stop",
                "id": "c-42",
                "payload": {}
              }
            }
          ],
          "x-parser-unique-object-id": "ClientShareStop"
        },
        "ClientShareForceStop": {
          "name": "share.force_stop",
          "title": "share.force_stop (client → server)",
          "summary": "Host stops another peer's share",
          "description": "Host only.",
          "payload": {
            "type": "object",
            "description": "Host only.",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "share.force_stop"
                ],
                "x-parser-schema-id": "<anonymous-schema-284>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-285>"
              },
              "payload": {
                "type": "object",
                "description": "Host only. Stop another peer's share.",
                "required": [
                  "peer_id"
                ],
                "properties": {
                  "peer_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-286>"
                  }
                },
                "examples": [
                  {
                    "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
                  }
                ],
                "x-parser-schema-id": "ShareForceStop"
              }
            },
            "examples": [
              {
                "type": "share.force_stop",
                "id": "c-42",
                "payload": {
                  "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
                }
              }
            ],
            "x-parser-schema-id": "ClientShareForceStop"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "share.force_stop",
                "id": "c-42",
                "payload": {
                  "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientShareForceStop"
        },
        "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome",
        "ServerError": "$ref:$.channels.party.messages.ServerError",
        "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring",
        "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "ServerRtcOffer": {
          "name": "rtc.offer",
          "title": "rtc.offer (server → client)",
          "summary": "WebRTC offer, addressed to one peer",
          "description": "The client names the peer in `to` (a `peer_id`/`connection_id` of this channel); the server relays it to that socket only, with `from` and the sender's user. `peer_not_found` when the peer is gone.",
          "payload": {
            "type": "object",
            "description": "The client names the peer in `to` (a `peer_id`/`connection_id` of this channel); the server relays it to that socket only, with `from` and the sender's user. `peer_not_found` when the peer is gone.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.offer"
                ],
                "x-parser-schema-id": "<anonymous-schema-287>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-288>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-289>"
              },
              "payload": {
                "type": "object",
                "description": "An SDP offer relayed from peer `from` (its user attached).",
                "required": [
                  "from",
                  "user",
                  "sdp"
                ],
                "properties": {
                  "from": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-290>"
                  },
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "sdp": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-291>"
                  }
                },
                "examples": [
                  {
                    "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                    "user": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    },
                    "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                  }
                ],
                "x-parser-schema-id": "RtcOfferIn"
              }
            },
            "examples": [
              {
                "type": "rtc.offer",
                "ts": 1764086400123,
                "payload": {
                  "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "user": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            ],
            "x-parser-schema-id": "ServerRtcOffer"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.offer",
                "ts": 1764086400123,
                "payload": {
                  "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "user": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  },
                  "sdp": "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerRtcOffer"
        },
        "ServerRtcAnswer": {
          "name": "rtc.answer",
          "title": "rtc.answer (server → client)",
          "summary": "WebRTC answer, addressed to one peer",
          "payload": {
            "type": "object",
            "description": "WebRTC answer, addressed to one peer",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.answer"
                ],
                "x-parser-schema-id": "<anonymous-schema-292>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-293>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-294>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "from",
                  "user",
                  "sdp"
                ],
                "properties": {
                  "from": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-295>"
                  },
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "sdp": {
                    "type": "string",
                    "x-parser-schema-id": "<anonymous-schema-296>"
                  }
                },
                "examples": [
                  {
                    "from": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "sdp": "v=0\r\no=- 7214587523685120114 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                  }
                ],
                "x-parser-schema-id": "RtcAnswerIn"
              }
            },
            "examples": [
              {
                "type": "rtc.answer",
                "ts": 1764086400123,
                "payload": {
                  "from": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "sdp": "v=0\r\no=- 7214587523685120114 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            ],
            "x-parser-schema-id": "ServerRtcAnswer"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.answer",
                "ts": 1764086400123,
                "payload": {
                  "from": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "sdp": "v=0\r\no=- 7214587523685120114 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerRtcAnswer"
        },
        "ServerRtcIce": {
          "name": "rtc.ice",
          "title": "rtc.ice (server → client)",
          "summary": "Trickled ICE candidate, addressed to one peer",
          "payload": {
            "type": "object",
            "description": "Trickled ICE candidate, addressed to one peer",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.ice"
                ],
                "x-parser-schema-id": "<anonymous-schema-297>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-298>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-299>"
              },
              "payload": {
                "type": "object",
                "required": [
                  "from",
                  "candidate"
                ],
                "properties": {
                  "from": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-300>"
                  },
                  "candidate": {
                    "anyOf": [
                      {
                        "allOf": [
                          "$ref:$.channels.screen_share.messages.ClientRtcIce.payload.properties.payload.properties.candidate.anyOf[0].allOf[0]"
                        ],
                        "x-parser-schema-id": "<anonymous-schema-302>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-303>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-301>"
                  }
                },
                "examples": [
                  {
                    "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                    "candidate": {
                      "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                      "sdpMid": "0",
                      "sdpMLineIndex": 0,
                      "usernameFragment": "4ZcD"
                    }
                  }
                ],
                "x-parser-schema-id": "RtcIceIn"
              }
            },
            "examples": [
              {
                "type": "rtc.ice",
                "ts": 1764086400123,
                "payload": {
                  "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "candidate": {
                    "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                    "sdpMid": "0",
                    "sdpMLineIndex": 0,
                    "usernameFragment": "4ZcD"
                  }
                }
              }
            ],
            "x-parser-schema-id": "ServerRtcIce"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.ice",
                "ts": 1764086400123,
                "payload": {
                  "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                  "candidate": {
                    "candidate": "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 0.0.0.0 rport 0 generation 0",
                    "sdpMid": "0",
                    "sdpMLineIndex": 0,
                    "usernameFragment": "4ZcD"
                  }
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerRtcIce"
        },
        "ServerRtcLeave": {
          "name": "rtc.leave",
          "title": "rtc.leave (server → client)",
          "summary": "Hang up with one peer",
          "description": "Also sent by the server to every peer of the channel, with `from`, when a socket closes.",
          "payload": {
            "type": "object",
            "description": "Also sent by the server to every peer of the channel, with `from`, when a socket closes.",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "rtc.leave"
                ],
                "x-parser-schema-id": "<anonymous-schema-304>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-305>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-306>"
              },
              "payload": {
                "type": "object",
                "description": "Peer `from` hung up, or its socket closed (then sent to every peer of the channel).",
                "required": [
                  "from"
                ],
                "properties": {
                  "from": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-307>"
                  }
                },
                "examples": [
                  {
                    "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
                  }
                ],
                "x-parser-schema-id": "RtcLeaveIn"
              }
            },
            "examples": [
              {
                "type": "rtc.leave",
                "ts": 1764086400123,
                "payload": {
                  "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
                }
              }
            ],
            "x-parser-schema-id": "ServerRtcLeave"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "rtc.leave",
                "ts": 1764086400123,
                "payload": {
                  "from": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerRtcLeave"
        },
        "ServerShareState": {
          "name": "share.state",
          "title": "share.state (server → client)",
          "summary": "Who is connected to screen share and who is sharing",
          "payload": {
            "type": "object",
            "description": "Who is connected to screen share and who is sharing",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "share.state"
                ],
                "x-parser-schema-id": "<anonymous-schema-308>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-309>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-310>"
              },
              "payload": {
                "type": "object",
                "description": "Every peer connected to the screen-share channel and who is sharing; sent on join and on every change.",
                "required": [
                  "peers"
                ],
                "properties": {
                  "peers": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "peer_id",
                        "user",
                        "sharing",
                        "surface",
                        "with_audio",
                        "started_at"
                      ],
                      "properties": {
                        "peer_id": {
                          "type": "string",
                          "format": "uuid",
                          "x-parser-schema-id": "<anonymous-schema-312>"
                        },
                        "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                        "sharing": {
                          "type": "boolean",
                          "x-parser-schema-id": "<anonymous-schema-313>"
                        },
                        "surface": {
                          "anyOf": [
                            {
                              "allOf": [
                                "$ref:$.channels.screen_share.messages.ClientShareStart.payload.properties.payload.properties.surface"
                              ],
                              "x-parser-schema-id": "<anonymous-schema-315>"
                            },
                            {
                              "type": "null",
                              "x-parser-schema-id": "<anonymous-schema-316>"
                            }
                          ],
                          "x-parser-schema-id": "<anonymous-schema-314>"
                        },
                        "with_audio": {
                          "type": "boolean",
                          "x-parser-schema-id": "<anonymous-schema-317>"
                        },
                        "started_at": {
                          "type": [
                            "string",
                            "null"
                          ],
                          "format": "date-time",
                          "description": "When the current share started; null when not sharing.",
                          "x-parser-schema-id": "<anonymous-schema-318>"
                        }
                      },
                      "examples": [
                        {
                          "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                          "user": {
                            "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                            "username": "bruno",
                            "display_name": "Bruno Reis",
                            "avatar_url": "/media/avatars/bruno.png"
                          },
                          "sharing": true,
                          "surface": "browser",
                          "with_audio": true,
                          "started_at": "2026-11-25T20:10:00Z"
                        }
                      ],
                      "x-parser-schema-id": "SharePeer"
                    },
                    "x-parser-schema-id": "<anonymous-schema-311>"
                  }
                },
                "examples": [
                  {
                    "peers": [
                      {
                        "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                        "user": {
                          "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                          "username": "ana",
                          "display_name": "Ana Lima",
                          "avatar_url": null
                        },
                        "sharing": false,
                        "surface": null,
                        "with_audio": false,
                        "started_at": null
                      },
                      {
                        "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                        "user": {
                          "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                          "username": "bruno",
                          "display_name": "Bruno Reis",
                          "avatar_url": "/media/avatars/bruno.png"
                        },
                        "sharing": true,
                        "surface": "browser",
                        "with_audio": true,
                        "started_at": "2026-11-25T20:10:00Z"
                      }
                    ]
                  }
                ],
                "x-parser-schema-id": "ShareState"
              }
            },
            "examples": [
              {
                "type": "share.state",
                "ts": 1764086400123,
                "payload": {
                  "peers": [
                    {
                      "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "sharing": false,
                      "surface": null,
                      "with_audio": false,
                      "started_at": null
                    },
                    {
                      "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "sharing": true,
                      "surface": "browser",
                      "with_audio": true,
                      "started_at": "2026-11-25T20:10:00Z"
                    }
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ServerShareState"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "share.state",
                "ts": 1764086400123,
                "payload": {
                  "peers": [
                    {
                      "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "sharing": false,
                      "surface": null,
                      "with_audio": false,
                      "started_at": null
                    },
                    {
                      "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "sharing": true,
                      "surface": "browser",
                      "with_audio": true,
                      "started_at": "2026-11-25T20:10:00Z"
                    }
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerShareState"
        },
        "ServerShareStopped": {
          "name": "share.stopped",
          "title": "share.stopped (server → client)",
          "summary": "A share ended, and why",
          "payload": {
            "type": "object",
            "description": "A share ended, and why",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "share.stopped"
                ],
                "x-parser-schema-id": "<anonymous-schema-319>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-320>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-321>"
              },
              "payload": {
                "type": "object",
                "description": "A share ended; the sharer's client must stop capturing when `reason` is `host_stopped`.",
                "required": [
                  "peer_id",
                  "user",
                  "reason",
                  "by"
                ],
                "properties": {
                  "peer_id": {
                    "type": "string",
                    "format": "uuid",
                    "x-parser-schema-id": "<anonymous-schema-322>"
                  },
                  "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                  "reason": {
                    "type": "string",
                    "description": "`stopped`: the sharer stopped. `host_stopped`: the host stopped it. `disconnected`: the sharer's socket closed.",
                    "enum": [
                      "stopped",
                      "host_stopped",
                      "disconnected"
                    ],
                    "examples": [
                      "host_stopped"
                    ],
                    "x-parser-schema-id": "ShareStopReason"
                  },
                  "by": {
                    "anyOf": [
                      {
                        "allOf": [
                          "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user"
                        ],
                        "description": "The host who stopped it, when `reason` is `host_stopped`.",
                        "x-parser-schema-id": "<anonymous-schema-324>"
                      },
                      {
                        "type": "null",
                        "x-parser-schema-id": "<anonymous-schema-325>"
                      }
                    ],
                    "x-parser-schema-id": "<anonymous-schema-323>"
                  }
                },
                "examples": [
                  {
                    "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                    "user": {
                      "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                      "username": "bruno",
                      "display_name": "Bruno Reis",
                      "avatar_url": "/media/avatars/bruno.png"
                    },
                    "reason": "host_stopped",
                    "by": {
                      "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                      "username": "ana",
                      "display_name": "Ana Lima",
                      "avatar_url": null
                    }
                  }
                ],
                "x-parser-schema-id": "ShareStopped"
              }
            },
            "examples": [
              {
                "type": "share.stopped",
                "ts": 1764086400123,
                "payload": {
                  "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "reason": "host_stopped",
                  "by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  }
                }
              }
            ],
            "x-parser-schema-id": "ServerShareStopped"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "share.stopped",
                "ts": 1764086400123,
                "payload": {
                  "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                  "user": {
                    "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                    "username": "bruno",
                    "display_name": "Bruno Reis",
                    "avatar_url": "/media/avatars/bruno.png"
                  },
                  "reason": "host_stopped",
                  "by": {
                    "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                    "username": "ana",
                    "display_name": "Ana Lima",
                    "avatar_url": null
                  }
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerShareStopped"
        }
      },
      "x-access": "participant",
      "x-parser-unique-object-id": "screen_share"
    },
    "voice": {
      "address": "/ws/interactive/{partyId}/voice/",
      "title": "voice",
      "summary": "WebRTC signaling relay for voice chat, with who is in the room, muted and speaking",
      "description": "Connecting joins the voice room; closing leaves it. Peer ids are the `connection_id`s of this channel's sockets. On join: `session.welcome` then `voice.state`; the newcomer sends `rtc.offer` to each peer already listed (full mesh), and `voice.status` whenever its mute or speaking state changes.",
      "parameters": {
        "partyId": {
          "description": "`partyId` (UUID)."
        }
      },
      "messages": {
        "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh",
        "ClientRtcOffer": "$ref:$.channels.screen_share.messages.ClientRtcOffer",
        "ClientRtcAnswer": "$ref:$.channels.screen_share.messages.ClientRtcAnswer",
        "ClientRtcIce": "$ref:$.channels.screen_share.messages.ClientRtcIce",
        "ClientRtcLeave": "$ref:$.channels.screen_share.messages.ClientRtcLeave",
        "ClientVoiceStatus": {
          "name": "voice.status",
          "title": "voice.status (client → server)",
          "summary": "This peer's mute and speaking state",
          "payload": {
            "type": "object",
            "description": "This peer's mute and speaking state",
            "required": [
              "type",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "voice.status"
                ],
                "x-parser-schema-id": "<anonymous-schema-327>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Client-chosen message id; the server echoes it as `ref` in errors.",
                "x-parser-schema-id": "<anonymous-schema-328>"
              },
              "payload": {
                "type": "object",
                "description": "This peer's microphone state: `muted`, and `speaking` from voice-activity detection (send on change only; at most a few per second).",
                "required": [
                  "muted",
                  "speaking"
                ],
                "properties": {
                  "muted": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-329>"
                  },
                  "speaking": {
                    "type": "boolean",
                    "x-parser-schema-id": "<anonymous-schema-330>"
                  }
                },
                "examples": [
                  {
                    "muted": false,
                    "speaking": true
                  }
                ],
                "x-parser-schema-id": "VoiceStatus"
              }
            },
            "examples": [
              {
                "type": "voice.status",
                "id": "c-42",
                "payload": {
                  "muted": false,
                  "speaking": true
                }
              }
            ],
            "x-parser-schema-id": "ClientVoiceStatus"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "voice.status",
                "id": "c-42",
                "payload": {
                  "muted": false,
                  "speaking": true
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ClientVoiceStatus"
        },
        "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome",
        "ServerError": "$ref:$.channels.party.messages.ServerError",
        "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring",
        "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "ServerRtcOffer": "$ref:$.channels.screen_share.messages.ServerRtcOffer",
        "ServerRtcAnswer": "$ref:$.channels.screen_share.messages.ServerRtcAnswer",
        "ServerRtcIce": "$ref:$.channels.screen_share.messages.ServerRtcIce",
        "ServerRtcLeave": "$ref:$.channels.screen_share.messages.ServerRtcLeave",
        "ServerVoiceState": {
          "name": "voice.state",
          "title": "voice.state (server → client)",
          "summary": "Who is in the voice room, muted and speaking",
          "payload": {
            "type": "object",
            "description": "Who is in the voice room, muted and speaking",
            "required": [
              "type",
              "ts",
              "payload"
            ],
            "properties": {
              "type": {
                "type": "string",
                "enum": [
                  "voice.state"
                ],
                "x-parser-schema-id": "<anonymous-schema-331>"
              },
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 64,
                "description": "Id of the client frame this answers, when it answers one.",
                "x-parser-schema-id": "<anonymous-schema-332>"
              },
              "ts": {
                "type": "integer",
                "description": "Server time, ms since the epoch.",
                "x-parser-schema-id": "<anonymous-schema-333>"
              },
              "payload": {
                "type": "object",
                "description": "Every peer in the voice room with its mute/speaking state; sent on join and on every change.",
                "required": [
                  "peers"
                ],
                "properties": {
                  "peers": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "required": [
                        "peer_id",
                        "user",
                        "muted",
                        "speaking",
                        "joined_at"
                      ],
                      "properties": {
                        "peer_id": {
                          "type": "string",
                          "format": "uuid",
                          "x-parser-schema-id": "<anonymous-schema-335>"
                        },
                        "user": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
                        "muted": {
                          "type": "boolean",
                          "x-parser-schema-id": "<anonymous-schema-336>"
                        },
                        "speaking": {
                          "type": "boolean",
                          "x-parser-schema-id": "<anonymous-schema-337>"
                        },
                        "joined_at": {
                          "type": "string",
                          "format": "date-time",
                          "x-parser-schema-id": "<anonymous-schema-338>"
                        }
                      },
                      "examples": [
                        {
                          "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                          "user": {
                            "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                            "username": "ana",
                            "display_name": "Ana Lima",
                            "avatar_url": null
                          },
                          "muted": false,
                          "speaking": true,
                          "joined_at": "2026-11-25T20:12:00Z"
                        }
                      ],
                      "x-parser-schema-id": "VoicePeer"
                    },
                    "x-parser-schema-id": "<anonymous-schema-334>"
                  }
                },
                "examples": [
                  {
                    "peers": [
                      {
                        "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                        "user": {
                          "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                          "username": "ana",
                          "display_name": "Ana Lima",
                          "avatar_url": null
                        },
                        "muted": false,
                        "speaking": true,
                        "joined_at": "2026-11-25T20:12:00Z"
                      },
                      {
                        "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                        "user": {
                          "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                          "username": "bruno",
                          "display_name": "Bruno Reis",
                          "avatar_url": "/media/avatars/bruno.png"
                        },
                        "muted": true,
                        "speaking": false,
                        "joined_at": "2026-11-25T20:12:30Z"
                      }
                    ]
                  }
                ],
                "x-parser-schema-id": "VoiceState"
              }
            },
            "examples": [
              {
                "type": "voice.state",
                "ts": 1764086400123,
                "payload": {
                  "peers": [
                    {
                      "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "muted": false,
                      "speaking": true,
                      "joined_at": "2026-11-25T20:12:00Z"
                    },
                    {
                      "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "muted": true,
                      "speaking": false,
                      "joined_at": "2026-11-25T20:12:30Z"
                    }
                  ]
                }
              }
            ],
            "x-parser-schema-id": "ServerVoiceState"
          },
          "examples": [
            {
              "name": "default",
              "payload": {
                "type": "voice.state",
                "ts": 1764086400123,
                "payload": {
                  "peers": [
                    {
                      "peer_id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
                      "user": {
                        "id": "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f",
                        "username": "ana",
                        "display_name": "Ana Lima",
                        "avatar_url": null
                      },
                      "muted": false,
                      "speaking": true,
                      "joined_at": "2026-11-25T20:12:00Z"
                    },
                    {
                      "peer_id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e",
                      "user": {
                        "id": "8d9e0f1a-2b3c-4d4e-9f5a-6b7c8d9e0f1a",
                        "username": "bruno",
                        "display_name": "Bruno Reis",
                        "avatar_url": "/media/avatars/bruno.png"
                      },
                      "muted": true,
                      "speaking": false,
                      "joined_at": "2026-11-25T20:12:30Z"
                    }
                  ]
                }
              }
            }
          ],
          "x-parser-unique-object-id": "ServerVoiceState"
        }
      },
      "x-access": "participant",
      "x-parser-unique-object-id": "voice"
    }
  },
  "operations": {
    "party.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.party",
      "summary": "Frames the client sends on /ws/party/{partyId}/",
      "messages": [
        "$ref:$.channels.party.messages.ClientAuthRefresh",
        "$ref:$.channels.party.messages.ClientSyncPing",
        "$ref:$.channels.party.messages.ClientPlaybackPlay",
        "$ref:$.channels.party.messages.ClientPlaybackPause",
        "$ref:$.channels.party.messages.ClientPlaybackSeek",
        "$ref:$.channels.party.messages.ClientPlaybackRate",
        "$ref:$.channels.party.messages.ClientReadyCheckStart",
        "$ref:$.channels.party.messages.ClientReadyCheckAnswer",
        "$ref:$.channels.party.messages.ClientReadyCheckCancel",
        "$ref:$.channels.party.messages.ClientBuffering",
        "$ref:$.channels.party.messages.ClientBuffered",
        "$ref:$.channels.party.messages.ClientReaction"
      ],
      "x-parser-unique-object-id": "party.receive"
    },
    "party.send": {
      "action": "send",
      "channel": "$ref:$.channels.party",
      "summary": "Frames the server sends on /ws/party/{partyId}/",
      "messages": [
        "$ref:$.channels.party.messages.ServerSessionWelcome",
        "$ref:$.channels.party.messages.ServerError",
        "$ref:$.channels.party.messages.ServerAuthExpiring",
        "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "$ref:$.channels.party.messages.ServerSyncPong",
        "$ref:$.channels.party.messages.ServerPlaybackState",
        "$ref:$.channels.party.messages.ServerReadyCheckState",
        "$ref:$.channels.party.messages.ServerReadyCheckCountdown",
        "$ref:$.channels.party.messages.ServerBuffering",
        "$ref:$.channels.party.messages.ServerBuffered",
        "$ref:$.channels.party.messages.ServerPresence",
        "$ref:$.channels.party.messages.ServerPresenceJoined",
        "$ref:$.channels.party.messages.ServerPresenceLeft",
        "$ref:$.channels.party.messages.ServerHostChanged",
        "$ref:$.channels.party.messages.ServerReaction",
        "$ref:$.channels.party.messages.ServerVideoReady"
      ],
      "x-parser-unique-object-id": "party.send"
    },
    "chat.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.chat",
      "summary": "Frames the client sends on /ws/chat/{partyId}/",
      "messages": [
        "$ref:$.channels.party.messages.ClientAuthRefresh",
        "$ref:$.channels.chat.messages.ClientMessageSend",
        "$ref:$.channels.chat.messages.ClientTyping",
        "$ref:$.channels.chat.messages.ClientResume"
      ],
      "x-parser-unique-object-id": "chat.receive"
    },
    "chat.send": {
      "action": "send",
      "channel": "$ref:$.channels.chat",
      "summary": "Frames the server sends on /ws/chat/{partyId}/",
      "messages": [
        "$ref:$.channels.party.messages.ServerSessionWelcome",
        "$ref:$.channels.party.messages.ServerError",
        "$ref:$.channels.party.messages.ServerAuthExpiring",
        "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "$ref:$.channels.chat.messages.ServerMessageCreated",
        "$ref:$.channels.chat.messages.ServerMessageDeleted",
        "$ref:$.channels.chat.messages.ServerTyping",
        "$ref:$.channels.chat.messages.ServerResumeComplete"
      ],
      "x-parser-unique-object-id": "chat.send"
    },
    "notifications.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.notifications",
      "summary": "Frames the client sends on /ws/notifications/",
      "messages": [
        "$ref:$.channels.party.messages.ClientAuthRefresh",
        "$ref:$.channels.notifications.messages.ClientNotificationRead"
      ],
      "x-parser-unique-object-id": "notifications.receive"
    },
    "notifications.send": {
      "action": "send",
      "channel": "$ref:$.channels.notifications",
      "summary": "Frames the server sends on /ws/notifications/",
      "messages": [
        "$ref:$.channels.party.messages.ServerSessionWelcome",
        "$ref:$.channels.party.messages.ServerError",
        "$ref:$.channels.party.messages.ServerAuthExpiring",
        "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "$ref:$.channels.notifications.messages.ServerNotificationCreated",
        "$ref:$.channels.notifications.messages.ServerNotificationRead"
      ],
      "x-parser-unique-object-id": "notifications.send"
    },
    "polls.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.polls",
      "summary": "Frames the client sends on /ws/interactive/{partyId}/polls/",
      "messages": [
        "$ref:$.channels.party.messages.ClientAuthRefresh",
        "$ref:$.channels.polls.messages.ClientPollCreate",
        "$ref:$.channels.polls.messages.ClientPollVote",
        "$ref:$.channels.polls.messages.ClientPollClose"
      ],
      "x-parser-unique-object-id": "polls.receive"
    },
    "polls.send": {
      "action": "send",
      "channel": "$ref:$.channels.polls",
      "summary": "Frames the server sends on /ws/interactive/{partyId}/polls/",
      "messages": [
        "$ref:$.channels.party.messages.ServerSessionWelcome",
        "$ref:$.channels.party.messages.ServerError",
        "$ref:$.channels.party.messages.ServerAuthExpiring",
        "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "$ref:$.channels.polls.messages.ServerPollList",
        "$ref:$.channels.polls.messages.ServerPollCreated",
        "$ref:$.channels.polls.messages.ServerPollResults",
        "$ref:$.channels.polls.messages.ServerPollClosed"
      ],
      "x-parser-unique-object-id": "polls.send"
    },
    "screen_share.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.screen_share",
      "summary": "Frames the client sends on /ws/interactive/{partyId}/screen-share/",
      "messages": [
        "$ref:$.channels.party.messages.ClientAuthRefresh",
        "$ref:$.channels.screen_share.messages.ClientRtcOffer",
        "$ref:$.channels.screen_share.messages.ClientRtcAnswer",
        "$ref:$.channels.screen_share.messages.ClientRtcIce",
        "$ref:$.channels.screen_share.messages.ClientRtcLeave",
        "$ref:$.channels.screen_share.messages.ClientShareStart",
        "$ref:$.channels.screen_share.messages.ClientShareStop",
        "$ref:$.channels.screen_share.messages.ClientShareForceStop"
      ],
      "x-parser-unique-object-id": "screen_share.receive"
    },
    "screen_share.send": {
      "action": "send",
      "channel": "$ref:$.channels.screen_share",
      "summary": "Frames the server sends on /ws/interactive/{partyId}/screen-share/",
      "messages": [
        "$ref:$.channels.party.messages.ServerSessionWelcome",
        "$ref:$.channels.party.messages.ServerError",
        "$ref:$.channels.party.messages.ServerAuthExpiring",
        "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "$ref:$.channels.screen_share.messages.ServerRtcOffer",
        "$ref:$.channels.screen_share.messages.ServerRtcAnswer",
        "$ref:$.channels.screen_share.messages.ServerRtcIce",
        "$ref:$.channels.screen_share.messages.ServerRtcLeave",
        "$ref:$.channels.screen_share.messages.ServerShareState",
        "$ref:$.channels.screen_share.messages.ServerShareStopped"
      ],
      "x-parser-unique-object-id": "screen_share.send"
    },
    "voice.receive": {
      "action": "receive",
      "channel": "$ref:$.channels.voice",
      "summary": "Frames the client sends on /ws/interactive/{partyId}/voice/",
      "messages": [
        "$ref:$.channels.party.messages.ClientAuthRefresh",
        "$ref:$.channels.screen_share.messages.ClientRtcOffer",
        "$ref:$.channels.screen_share.messages.ClientRtcAnswer",
        "$ref:$.channels.screen_share.messages.ClientRtcIce",
        "$ref:$.channels.screen_share.messages.ClientRtcLeave",
        "$ref:$.channels.voice.messages.ClientVoiceStatus"
      ],
      "x-parser-unique-object-id": "voice.receive"
    },
    "voice.send": {
      "action": "send",
      "channel": "$ref:$.channels.voice",
      "summary": "Frames the server sends on /ws/interactive/{partyId}/voice/",
      "messages": [
        "$ref:$.channels.party.messages.ServerSessionWelcome",
        "$ref:$.channels.party.messages.ServerError",
        "$ref:$.channels.party.messages.ServerAuthExpiring",
        "$ref:$.channels.party.messages.ServerAuthRefreshed",
        "$ref:$.channels.screen_share.messages.ServerRtcOffer",
        "$ref:$.channels.screen_share.messages.ServerRtcAnswer",
        "$ref:$.channels.screen_share.messages.ServerRtcIce",
        "$ref:$.channels.screen_share.messages.ServerRtcLeave",
        "$ref:$.channels.voice.messages.ServerVoiceState"
      ],
      "x-parser-unique-object-id": "voice.send"
    }
  },
  "components": {
    "securitySchemes": {
      "queryToken": "$ref:$.servers.local.security[0]",
      "bearerProtocol": "$ref:$.servers.local.security[1]"
    },
    "messages": {
      "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring",
      "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh",
      "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed",
      "ClientBuffered": "$ref:$.channels.party.messages.ClientBuffered",
      "ServerBuffered": "$ref:$.channels.party.messages.ServerBuffered",
      "ClientBuffering": "$ref:$.channels.party.messages.ClientBuffering",
      "ServerBuffering": "$ref:$.channels.party.messages.ServerBuffering",
      "ServerError": "$ref:$.channels.party.messages.ServerError",
      "ServerHostChanged": "$ref:$.channels.party.messages.ServerHostChanged",
      "ServerMessageCreated": "$ref:$.channels.chat.messages.ServerMessageCreated",
      "ServerMessageDeleted": "$ref:$.channels.chat.messages.ServerMessageDeleted",
      "ClientMessageSend": "$ref:$.channels.chat.messages.ClientMessageSend",
      "ServerNotificationCreated": "$ref:$.channels.notifications.messages.ServerNotificationCreated",
      "ClientNotificationRead": "$ref:$.channels.notifications.messages.ClientNotificationRead",
      "ServerNotificationRead": "$ref:$.channels.notifications.messages.ServerNotificationRead",
      "ClientPlaybackPause": "$ref:$.channels.party.messages.ClientPlaybackPause",
      "ClientPlaybackPlay": "$ref:$.channels.party.messages.ClientPlaybackPlay",
      "ClientPlaybackRate": "$ref:$.channels.party.messages.ClientPlaybackRate",
      "ClientPlaybackSeek": "$ref:$.channels.party.messages.ClientPlaybackSeek",
      "ServerPlaybackState": "$ref:$.channels.party.messages.ServerPlaybackState",
      "ClientPollClose": "$ref:$.channels.polls.messages.ClientPollClose",
      "ServerPollClosed": "$ref:$.channels.polls.messages.ServerPollClosed",
      "ClientPollCreate": "$ref:$.channels.polls.messages.ClientPollCreate",
      "ServerPollCreated": "$ref:$.channels.polls.messages.ServerPollCreated",
      "ServerPollList": "$ref:$.channels.polls.messages.ServerPollList",
      "ServerPollResults": "$ref:$.channels.polls.messages.ServerPollResults",
      "ClientPollVote": "$ref:$.channels.polls.messages.ClientPollVote",
      "ServerPresence": "$ref:$.channels.party.messages.ServerPresence",
      "ServerPresenceJoined": "$ref:$.channels.party.messages.ServerPresenceJoined",
      "ServerPresenceLeft": "$ref:$.channels.party.messages.ServerPresenceLeft",
      "ClientReaction": "$ref:$.channels.party.messages.ClientReaction",
      "ServerReaction": "$ref:$.channels.party.messages.ServerReaction",
      "ClientReadyCheckAnswer": "$ref:$.channels.party.messages.ClientReadyCheckAnswer",
      "ClientReadyCheckCancel": "$ref:$.channels.party.messages.ClientReadyCheckCancel",
      "ServerReadyCheckCountdown": "$ref:$.channels.party.messages.ServerReadyCheckCountdown",
      "ClientReadyCheckStart": "$ref:$.channels.party.messages.ClientReadyCheckStart",
      "ServerReadyCheckState": "$ref:$.channels.party.messages.ServerReadyCheckState",
      "ClientResume": "$ref:$.channels.chat.messages.ClientResume",
      "ServerResumeComplete": "$ref:$.channels.chat.messages.ServerResumeComplete",
      "ClientRtcAnswer": "$ref:$.channels.screen_share.messages.ClientRtcAnswer",
      "ServerRtcAnswer": "$ref:$.channels.screen_share.messages.ServerRtcAnswer",
      "ClientRtcIce": "$ref:$.channels.screen_share.messages.ClientRtcIce",
      "ServerRtcIce": "$ref:$.channels.screen_share.messages.ServerRtcIce",
      "ClientRtcLeave": "$ref:$.channels.screen_share.messages.ClientRtcLeave",
      "ServerRtcLeave": "$ref:$.channels.screen_share.messages.ServerRtcLeave",
      "ClientRtcOffer": "$ref:$.channels.screen_share.messages.ClientRtcOffer",
      "ServerRtcOffer": "$ref:$.channels.screen_share.messages.ServerRtcOffer",
      "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome",
      "ClientShareForceStop": "$ref:$.channels.screen_share.messages.ClientShareForceStop",
      "ClientShareStart": "$ref:$.channels.screen_share.messages.ClientShareStart",
      "ServerShareState": "$ref:$.channels.screen_share.messages.ServerShareState",
      "ClientShareStop": "$ref:$.channels.screen_share.messages.ClientShareStop",
      "ServerShareStopped": "$ref:$.channels.screen_share.messages.ServerShareStopped",
      "ClientSyncPing": "$ref:$.channels.party.messages.ClientSyncPing",
      "ServerSyncPong": "$ref:$.channels.party.messages.ServerSyncPong",
      "ClientTyping": "$ref:$.channels.chat.messages.ClientTyping",
      "ServerTyping": "$ref:$.channels.chat.messages.ServerTyping",
      "ServerVideoReady": "$ref:$.channels.party.messages.ServerVideoReady",
      "ServerVoiceState": "$ref:$.channels.voice.messages.ServerVoiceState",
      "ClientVoiceStatus": "$ref:$.channels.voice.messages.ClientVoiceStatus"
    },
    "schemas": {
      "AuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring.payload.properties.payload",
      "AuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh.payload.properties.payload",
      "AuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed.payload.properties.payload",
      "BufferingEvent": "$ref:$.channels.party.messages.ServerBuffering.payload.properties.payload",
      "BufferingStart": "$ref:$.channels.party.messages.ClientBuffering.payload.properties.payload",
      "ChatMessage": "$ref:$.channels.chat.messages.ServerMessageCreated.payload.properties.payload",
      "ChatMessageCreate": "$ref:$.channels.chat.messages.ClientMessageSend.payload.properties.payload",
      "ChatMessageDeleted": "$ref:$.channels.chat.messages.ServerMessageDeleted.payload.properties.payload",
      "ChatResume": "$ref:$.channels.chat.messages.ClientResume.payload.properties.payload",
      "ChatResumeComplete": "$ref:$.channels.chat.messages.ServerResumeComplete.payload.properties.payload",
      "EmptyPayload": "$ref:$.channels.party.messages.ClientBuffered.payload.properties.payload",
      "HostChange": "$ref:$.channels.party.messages.ServerHostChanged.payload.properties.payload",
      "HostChangeReason": "$ref:$.channels.party.messages.ServerHostChanged.payload.properties.payload.properties.reason",
      "Notification": "$ref:$.channels.notifications.messages.ServerNotificationCreated.payload.properties.payload",
      "NotificationReadCommand": "$ref:$.channels.notifications.messages.ClientNotificationRead.payload.properties.payload",
      "NotificationReadEvent": "$ref:$.channels.notifications.messages.ServerNotificationRead.payload.properties.payload",
      "NotificationType": "$ref:$.channels.notifications.messages.ServerNotificationCreated.payload.properties.payload.properties.type",
      "ParticipantRole": "$ref:$.channels.party.messages.ServerPresence.payload.properties.payload.properties.members.items.properties.role",
      "PlaybackCause": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload.allOf[1].properties.cause",
      "PlaybackPause": "$ref:$.channels.party.messages.ClientPlaybackPause.payload.properties.payload",
      "PlaybackPlay": "$ref:$.channels.party.messages.ClientPlaybackPlay.payload.properties.payload",
      "PlaybackRate": "$ref:$.channels.party.messages.ClientPlaybackRate.payload.properties.payload",
      "PlaybackSeek": "$ref:$.channels.party.messages.ClientPlaybackSeek.payload.properties.payload",
      "PlaybackState": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload.allOf[0]",
      "PlaybackStateEvent": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload",
      "PlaybackStatus": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload.allOf[0].properties.status",
      "Poll": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.polls.items",
      "PollBallot": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.my_votes.items",
      "PollClose": "$ref:$.channels.polls.messages.ClientPollClose.payload.properties.payload",
      "PollCreate": "$ref:$.channels.polls.messages.ClientPollCreate.payload.properties.payload",
      "PollList": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload",
      "PollOption": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.polls.items.properties.options.items",
      "PollStatus": "$ref:$.channels.polls.messages.ServerPollList.payload.properties.payload.properties.polls.items.properties.status",
      "PollVote": "$ref:$.channels.polls.messages.ClientPollVote.payload.properties.payload",
      "Presence": "$ref:$.channels.party.messages.ServerPresence.payload.properties.payload",
      "PresenceJoined": "$ref:$.channels.party.messages.ServerPresenceJoined.payload.properties.payload",
      "PresenceLeaveReason": "$ref:$.channels.party.messages.ServerPresenceLeft.payload.properties.payload.properties.reason",
      "PresenceLeft": "$ref:$.channels.party.messages.ServerPresenceLeft.payload.properties.payload",
      "PresenceMember": "$ref:$.channels.party.messages.ServerPresence.payload.properties.payload.properties.members.items",
      "ProcessingState": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload.allOf[1].properties.video.anyOf[0].allOf[0].properties.processing_state",
      "ReactionEvent": "$ref:$.channels.party.messages.ServerReaction.payload.properties.payload",
      "ReactionSend": "$ref:$.channels.party.messages.ClientReaction.payload.properties.payload",
      "ReadyCheckAnswer": "$ref:$.channels.party.messages.ClientReadyCheckAnswer.payload.properties.payload",
      "ReadyCheckCancel": "$ref:$.channels.party.messages.ClientReadyCheckCancel.payload.properties.payload",
      "ReadyCheckCountdown": "$ref:$.channels.party.messages.ServerReadyCheckCountdown.payload.properties.payload",
      "ReadyCheckEntry": "$ref:$.channels.party.messages.ServerReadyCheckState.payload.properties.payload.properties.answers.items",
      "ReadyCheckStart": "$ref:$.channels.party.messages.ClientReadyCheckStart.payload.properties.payload",
      "ReadyCheckState": "$ref:$.channels.party.messages.ServerReadyCheckState.payload.properties.payload",
      "ReadyCheckStatus": "$ref:$.channels.party.messages.ServerReadyCheckState.payload.properties.payload.properties.status",
      "RealtimeError": "$ref:$.channels.party.messages.ServerError.payload.properties.payload",
      "RealtimeErrorCode": "$ref:$.channels.party.messages.ServerError.payload.properties.payload.properties.code",
      "RealtimeWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload",
      "RtcAnswerIn": "$ref:$.channels.screen_share.messages.ServerRtcAnswer.payload.properties.payload",
      "RtcAnswerOut": "$ref:$.channels.screen_share.messages.ClientRtcAnswer.payload.properties.payload",
      "RtcIceCandidate": "$ref:$.channels.screen_share.messages.ClientRtcIce.payload.properties.payload.properties.candidate.anyOf[0].allOf[0]",
      "RtcIceIn": "$ref:$.channels.screen_share.messages.ServerRtcIce.payload.properties.payload",
      "RtcIceOut": "$ref:$.channels.screen_share.messages.ClientRtcIce.payload.properties.payload",
      "RtcLeaveIn": "$ref:$.channels.screen_share.messages.ServerRtcLeave.payload.properties.payload",
      "RtcLeaveOut": "$ref:$.channels.screen_share.messages.ClientRtcLeave.payload.properties.payload",
      "RtcOfferIn": "$ref:$.channels.screen_share.messages.ServerRtcOffer.payload.properties.payload",
      "RtcOfferOut": "$ref:$.channels.screen_share.messages.ClientRtcOffer.payload.properties.payload",
      "ShareForceStop": "$ref:$.channels.screen_share.messages.ClientShareForceStop.payload.properties.payload",
      "SharePeer": "$ref:$.channels.screen_share.messages.ServerShareState.payload.properties.payload.properties.peers.items",
      "ShareStart": "$ref:$.channels.screen_share.messages.ClientShareStart.payload.properties.payload",
      "ShareState": "$ref:$.channels.screen_share.messages.ServerShareState.payload.properties.payload",
      "ShareStopReason": "$ref:$.channels.screen_share.messages.ServerShareStopped.payload.properties.payload.properties.reason",
      "ShareStopped": "$ref:$.channels.screen_share.messages.ServerShareStopped.payload.properties.payload",
      "ShareSurface": "$ref:$.channels.screen_share.messages.ClientShareStart.payload.properties.payload.properties.surface",
      "SyncPing": "$ref:$.channels.party.messages.ClientSyncPing.payload.properties.payload",
      "SyncPong": "$ref:$.channels.party.messages.ServerSyncPong.payload.properties.payload",
      "TypingEvent": "$ref:$.channels.chat.messages.ServerTyping.payload.properties.payload",
      "TypingState": "$ref:$.channels.chat.messages.ClientTyping.payload.properties.payload.properties.state",
      "TypingUpdate": "$ref:$.channels.chat.messages.ClientTyping.payload.properties.payload",
      "UserSummary": "$ref:$.channels.party.messages.ServerSessionWelcome.payload.properties.payload.properties.user",
      "ValidationError": "$ref:$.channels.party.messages.ServerError.payload.properties.payload.properties.fields.anyOf[0].allOf[0]",
      "VideoReadyEvent": "$ref:$.channels.party.messages.ServerVideoReady.payload.properties.payload",
      "VideoSummary": "$ref:$.channels.party.messages.ServerPlaybackState.payload.properties.payload.allOf[1].properties.video.anyOf[0].allOf[0]",
      "VoicePeer": "$ref:$.channels.voice.messages.ServerVoiceState.payload.properties.payload.properties.peers.items",
      "VoiceState": "$ref:$.channels.voice.messages.ServerVoiceState.payload.properties.payload",
      "VoiceStatus": "$ref:$.channels.voice.messages.ClientVoiceStatus.payload.properties.payload",
      "ServerAuthExpiring": "$ref:$.channels.party.messages.ServerAuthExpiring.payload",
      "ClientAuthRefresh": "$ref:$.channels.party.messages.ClientAuthRefresh.payload",
      "ServerAuthRefreshed": "$ref:$.channels.party.messages.ServerAuthRefreshed.payload",
      "ClientBuffered": "$ref:$.channels.party.messages.ClientBuffered.payload",
      "ServerBuffered": "$ref:$.channels.party.messages.ServerBuffered.payload",
      "ClientBuffering": "$ref:$.channels.party.messages.ClientBuffering.payload",
      "ServerBuffering": "$ref:$.channels.party.messages.ServerBuffering.payload",
      "ServerError": "$ref:$.channels.party.messages.ServerError.payload",
      "ServerHostChanged": "$ref:$.channels.party.messages.ServerHostChanged.payload",
      "ServerMessageCreated": "$ref:$.channels.chat.messages.ServerMessageCreated.payload",
      "ServerMessageDeleted": "$ref:$.channels.chat.messages.ServerMessageDeleted.payload",
      "ClientMessageSend": "$ref:$.channels.chat.messages.ClientMessageSend.payload",
      "ServerNotificationCreated": "$ref:$.channels.notifications.messages.ServerNotificationCreated.payload",
      "ClientNotificationRead": "$ref:$.channels.notifications.messages.ClientNotificationRead.payload",
      "ServerNotificationRead": "$ref:$.channels.notifications.messages.ServerNotificationRead.payload",
      "ClientPlaybackPause": "$ref:$.channels.party.messages.ClientPlaybackPause.payload",
      "ClientPlaybackPlay": "$ref:$.channels.party.messages.ClientPlaybackPlay.payload",
      "ClientPlaybackRate": "$ref:$.channels.party.messages.ClientPlaybackRate.payload",
      "ClientPlaybackSeek": "$ref:$.channels.party.messages.ClientPlaybackSeek.payload",
      "ServerPlaybackState": "$ref:$.channels.party.messages.ServerPlaybackState.payload",
      "ClientPollClose": "$ref:$.channels.polls.messages.ClientPollClose.payload",
      "ServerPollClosed": "$ref:$.channels.polls.messages.ServerPollClosed.payload",
      "ClientPollCreate": "$ref:$.channels.polls.messages.ClientPollCreate.payload",
      "ServerPollCreated": "$ref:$.channels.polls.messages.ServerPollCreated.payload",
      "ServerPollList": "$ref:$.channels.polls.messages.ServerPollList.payload",
      "ServerPollResults": "$ref:$.channels.polls.messages.ServerPollResults.payload",
      "ClientPollVote": "$ref:$.channels.polls.messages.ClientPollVote.payload",
      "ServerPresence": "$ref:$.channels.party.messages.ServerPresence.payload",
      "ServerPresenceJoined": "$ref:$.channels.party.messages.ServerPresenceJoined.payload",
      "ServerPresenceLeft": "$ref:$.channels.party.messages.ServerPresenceLeft.payload",
      "ClientReaction": "$ref:$.channels.party.messages.ClientReaction.payload",
      "ServerReaction": "$ref:$.channels.party.messages.ServerReaction.payload",
      "ClientReadyCheckAnswer": "$ref:$.channels.party.messages.ClientReadyCheckAnswer.payload",
      "ClientReadyCheckCancel": "$ref:$.channels.party.messages.ClientReadyCheckCancel.payload",
      "ServerReadyCheckCountdown": "$ref:$.channels.party.messages.ServerReadyCheckCountdown.payload",
      "ClientReadyCheckStart": "$ref:$.channels.party.messages.ClientReadyCheckStart.payload",
      "ServerReadyCheckState": "$ref:$.channels.party.messages.ServerReadyCheckState.payload",
      "ClientResume": "$ref:$.channels.chat.messages.ClientResume.payload",
      "ServerResumeComplete": "$ref:$.channels.chat.messages.ServerResumeComplete.payload",
      "ClientRtcAnswer": "$ref:$.channels.screen_share.messages.ClientRtcAnswer.payload",
      "ServerRtcAnswer": "$ref:$.channels.screen_share.messages.ServerRtcAnswer.payload",
      "ClientRtcIce": "$ref:$.channels.screen_share.messages.ClientRtcIce.payload",
      "ServerRtcIce": "$ref:$.channels.screen_share.messages.ServerRtcIce.payload",
      "ClientRtcLeave": "$ref:$.channels.screen_share.messages.ClientRtcLeave.payload",
      "ServerRtcLeave": "$ref:$.channels.screen_share.messages.ServerRtcLeave.payload",
      "ClientRtcOffer": "$ref:$.channels.screen_share.messages.ClientRtcOffer.payload",
      "ServerRtcOffer": "$ref:$.channels.screen_share.messages.ServerRtcOffer.payload",
      "ServerSessionWelcome": "$ref:$.channels.party.messages.ServerSessionWelcome.payload",
      "ClientShareForceStop": "$ref:$.channels.screen_share.messages.ClientShareForceStop.payload",
      "ClientShareStart": "$ref:$.channels.screen_share.messages.ClientShareStart.payload",
      "ServerShareState": "$ref:$.channels.screen_share.messages.ServerShareState.payload",
      "ClientShareStop": "$ref:$.channels.screen_share.messages.ClientShareStop.payload",
      "ServerShareStopped": "$ref:$.channels.screen_share.messages.ServerShareStopped.payload",
      "ClientSyncPing": "$ref:$.channels.party.messages.ClientSyncPing.payload",
      "ServerSyncPong": "$ref:$.channels.party.messages.ServerSyncPong.payload",
      "ClientTyping": "$ref:$.channels.chat.messages.ClientTyping.payload",
      "ServerTyping": "$ref:$.channels.chat.messages.ServerTyping.payload",
      "ServerVideoReady": "$ref:$.channels.party.messages.ServerVideoReady.payload",
      "ServerVoiceState": "$ref:$.channels.voice.messages.ServerVoiceState.payload",
      "ClientVoiceStatus": "$ref:$.channels.voice.messages.ClientVoiceStatus.payload"
    }
  },
  "x-parser-spec-parsed": true,
  "x-parser-api-version": 3,
  "x-parser-spec-stringified": true
};
    const config = {"show":{"sidebar":true},"sidebar":{"showOperations":"byDefault"}};
    const appRoot = document.getElementById('root');
    AsyncApiStandalone.render(
        { schema, config, }, appRoot
    );
  