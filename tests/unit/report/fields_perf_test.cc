// Field helpers rewritten for speed, on the cases their new code paths add.
#include <gtest/gtest.h>

#include <string>

#include "report/fields.hh"

using namespace carom::report;

TEST(CommandFromText, ShortAndLongDiagnostics) {
    // short: lowered on the stack
    EXPECT_EQ(command_from_text("550 5.1.1 unknown (In Reply To RCPT TO command)"), "RCPT");
    EXPECT_EQ(command_from_text("timeout AFTER end of DATA"), "DATA");
    EXPECT_EQ(command_from_text("reply to EHLO: refused"), "EHLO");
    EXPECT_EQ(command_from_text("after a while, in reply to mail from"), "MAIL");  // lead order wins
    EXPECT_EQ(command_from_text("after nothing"), "");
    // longer than the stack buffer: the same answers from the heap copy
    const std::string pad(600, 'x');
    EXPECT_EQ(command_from_text(pad + " in reply to RCPT TO command"), "RCPT");
    EXPECT_EQ(command_from_text("In reply to Connect to mx " + pad), "CONN");
    EXPECT_EQ(command_from_text(pad + " in reply to nothing after DATA"), "DATA");
    EXPECT_EQ(command_from_text(std::string(512, 'a') + " after helo"), "HELO");  // exactly at the limit
    EXPECT_EQ(command_from_text(std::string(511, 'a') + " after helo"), "HELO");
    EXPECT_EQ(command_from_text(pad), "");
}

TEST(StripType, ViewAndCopyAgree) {
    for (const char *v : {"dns; mx.example.org", "  rfc822;user@example.org ", "no type here", "x-local-host; a;b",
                          "a very long type name here; host", ";host", ""}) {
        EXPECT_EQ(strip_type(v), std::string(strip_type_view(v))) << v;
    }
    EXPECT_EQ(strip_type_view("dns; mx.example.org (192.0.2.1)"), "mx.example.org (192.0.2.1)");
    EXPECT_EQ(strip_type_view("rfc822;<a@example.org>"), "<a@example.org>");
}
