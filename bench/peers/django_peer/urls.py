from django.urls import path

from django_peer.views import PartyDetailView, PartyListView, SendChatMessageView

urlpatterns = [
    path("api/parties/", PartyListView.as_view()),
    path("api/parties/<uuid:party_id>/", PartyDetailView.as_view()),
    path("api/chat/<uuid:party_id>/messages/send/", SendChatMessageView.as_view()),
]
