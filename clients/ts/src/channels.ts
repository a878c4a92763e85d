// Generated from specs/asyncapi.yaml by `watchparty gen client`; never edit.
import type { components } from "./frames.js";

type S = components["schemas"];

/** Each realtime channel's address; `{partyId}` is filled in by the connection. */
export const CHANNELS = {
    party: "/ws/party/{partyId}/",
    chat: "/ws/chat/{partyId}/",
    notifications: "/ws/notifications/",
    polls: "/ws/interactive/{partyId}/polls/",
    screen_share: "/ws/interactive/{partyId}/screen-share/",
    voice: "/ws/interactive/{partyId}/voice/",
} as const;

/** The frames each channel carries: `server` ones arrive, `client` ones are sent. */
export interface ChannelFrames {
    party: {
        server:
        | S["ServerSessionWelcome"]
        | S["ServerError"]
        | S["ServerAuthExpiring"]
        | S["ServerAuthRefreshed"]
        | S["ServerSyncPong"]
        | S["ServerPlaybackState"]
        | S["ServerReadyCheckState"]
        | S["ServerReadyCheckCountdown"]
        | S["ServerBuffering"]
        | S["ServerBuffered"]
        | S["ServerPresence"]
        | S["ServerPresenceJoined"]
        | S["ServerPresenceLeft"]
        | S["ServerHostChanged"]
        | S["ServerReaction"]
        | S["ServerVideoReady"];
        client:
        | S["ClientAuthRefresh"]
        | S["ClientSyncPing"]
        | S["ClientPlaybackPlay"]
        | S["ClientPlaybackPause"]
        | S["ClientPlaybackSeek"]
        | S["ClientPlaybackRate"]
        | S["ClientReadyCheckStart"]
        | S["ClientReadyCheckAnswer"]
        | S["ClientReadyCheckCancel"]
        | S["ClientBuffering"]
        | S["ClientBuffered"]
        | S["ClientReaction"];
    };
    chat: {
        server:
        | S["ServerSessionWelcome"]
        | S["ServerError"]
        | S["ServerAuthExpiring"]
        | S["ServerAuthRefreshed"]
        | S["ServerMessageCreated"]
        | S["ServerMessageDeleted"]
        | S["ServerTyping"]
        | S["ServerResumeComplete"];
        client:
        | S["ClientAuthRefresh"]
        | S["ClientMessageSend"]
        | S["ClientTyping"]
        | S["ClientResume"];
    };
    notifications: {
        server:
        | S["ServerSessionWelcome"]
        | S["ServerError"]
        | S["ServerAuthExpiring"]
        | S["ServerAuthRefreshed"]
        | S["ServerNotificationCreated"]
        | S["ServerNotificationRead"];
        client:
        | S["ClientAuthRefresh"]
        | S["ClientNotificationRead"];
    };
    polls: {
        server:
        | S["ServerSessionWelcome"]
        | S["ServerError"]
        | S["ServerAuthExpiring"]
        | S["ServerAuthRefreshed"]
        | S["ServerPollList"]
        | S["ServerPollCreated"]
        | S["ServerPollResults"]
        | S["ServerPollClosed"];
        client:
        | S["ClientAuthRefresh"]
        | S["ClientPollCreate"]
        | S["ClientPollVote"]
        | S["ClientPollClose"];
    };
    screen_share: {
        server:
        | S["ServerSessionWelcome"]
        | S["ServerError"]
        | S["ServerAuthExpiring"]
        | S["ServerAuthRefreshed"]
        | S["ServerRtcOffer"]
        | S["ServerRtcAnswer"]
        | S["ServerRtcIce"]
        | S["ServerRtcLeave"]
        | S["ServerShareState"]
        | S["ServerShareStopped"];
        client:
        | S["ClientAuthRefresh"]
        | S["ClientRtcOffer"]
        | S["ClientRtcAnswer"]
        | S["ClientRtcIce"]
        | S["ClientRtcLeave"]
        | S["ClientShareStart"]
        | S["ClientShareStop"]
        | S["ClientShareForceStop"];
    };
    voice: {
        server:
        | S["ServerSessionWelcome"]
        | S["ServerError"]
        | S["ServerAuthExpiring"]
        | S["ServerAuthRefreshed"]
        | S["ServerRtcOffer"]
        | S["ServerRtcAnswer"]
        | S["ServerRtcIce"]
        | S["ServerRtcLeave"]
        | S["ServerVoiceState"];
        client:
        | S["ClientAuthRefresh"]
        | S["ClientRtcOffer"]
        | S["ClientRtcAnswer"]
        | S["ClientRtcIce"]
        | S["ClientRtcLeave"]
        | S["ClientVoiceStatus"];
    };
}
