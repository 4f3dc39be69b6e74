"""« Demander ce document » and « Trouver une structure ressource »: requests from the public,
sent by e-mail, never stored.

    /documentation/<slug>/demander/                 a lendable notice's request form (views.py)
    /documentation/<slug>/demander/merci/           its confirmation page
    /documentation/demandes/structure-ressource/    asking the network for a resource organisation
    /documentation/demandes/structure-ressource/merci/

A notice may be requested when it is published, lendable and its holding centre has an e-mail
(`Notice.requestable`). The request goes to that centre, with Reply-To the requester so that
the centre answers her directly; she gets an acknowledgement. A request for a resource
organisation goes to the network's address (CONTACT_EMAIL): no model ties a région to its
member centre.

Nothing of the requester is written to the database: each request sent adds one to the usage
counters (`request:document` keyed by the holding centre's id, `request:organisation` keyed by
the région's code), which the activity report shows. As on « Signaler une erreur », a honeypot
field catches robots (thanked, nothing sent) and each client address may send
DOCUMENT_REQUEST_RATE requests (both forms together); the address is only hashed for that
budget, in the cache (core/ratelimit.py).
"""
