"""Postfix-style bounces for the MTA tests (milter_postfix.py, pipe_exim.sh): the bounce of a
message we sent (its returned headers show our relay and our Message-ID domain) or of a forged
one (a spammer's host, a foreign Message-ID), for the context
{"domains": ["ours.example"], "relays": ["relay.ours.example"], "message_id_domains": ["mail.ours.example"]}.
"""
from email.utils import formatdate


def dsn(mid, forged, extra_header="", to="someone@ours.example"):
    """The bounce, from mx.remote.example, of the message `mid` to gone@remote.example."""
    hop = ("from spammer.invalid (unknown [198.51.100.7]) by mx.remote.example (Postfix) with SMTP id F1"
           if forged else
           "from relay.ours.example (relay.ours.example [192.0.2.1]) by mx.remote.example (Postfix) with ESMTP id G1")
    return ("From: MAILER-DAEMON@mx.remote.example (Mail Delivery System)\r\n"
            "To: %s\r\nSubject: Undelivered Mail Returned to Sender\r\n"
            "Date: %s\r\nMessage-ID: <bounce.%s>\r\n%sMIME-Version: 1.0\r\n"
            "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n"
            "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n"
            "<gone@remote.example>: unknown user: \"gone\"\r\n\r\n"
            "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.remote.example\r\n\r\n"
            "Final-Recipient: rfc822; gone@remote.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
            "Diagnostic-Code: X-Postfix; unknown user: \"gone\"\r\n\r\n"
            "--B\r\nContent-Type: text/rfc822-headers\r\n\r\nReceived: %s; %s\r\n"
            "From: Someone <someone@ours.example>\r\nTo: <gone@remote.example>\r\nSubject: hello\r\n"
            "Message-ID: <%s>\r\n\r\n--B--\r\n") % (to, formatdate(), mid, extra_header, hop, formatdate(), mid)
