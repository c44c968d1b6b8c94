// Field helpers rewritten for speed: the cases their new code paths add, and the address
// helpers against their former implementation (old_fields.hh) on mutated addresses.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "old_fields.hh"
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

// ---- addresses against the former implementation -------------------------------------------


TEST(Addresses, SameAsTheReferenceOnMutations) {
    const char *samples[] = {
        "rfc822; someone.user@example.com",
        "rfc822;<a@example.org>",
        "\"Doe, John\" <john.doe@example.net>, Jane <jane@example.org>",
        "Name user@example.org (comment) more",
        "utf-8; caf\\x{E9}@example.jp",
        "<user@example.org",
        "mailto:Someone@Example.COM.",
        "SMTP:box@example.net;",
        "group: a@example.org, b@example.org;",
        "'quoted@example.org'",
        "Display <not-this@example.org> <this@example.org>",
        "x400; /c=us/ad=example/",
        "list <a@example.org>, (only a comment), \"q\\\"uote\" <b@example.org>",
        "a.b+c=d_e-f@example.org",  // the plain shapes read without the general steps
        "<a.b+c=d_e-f@Example.ORG>",
        "rfc822; <x@example.org.>",
        "<>",
        "<<a@example.org>>",
    };
    std::mt19937 rng(5965);
    const std::string alphabet = "<>\"'(),;:@. \\x{}mMsStTa1-";
    int differences = 0;
    for (int round = 0; round < 40000; ++round) {
        std::string s = samples[rng() % (sizeof samples / sizeof *samples)];
        const int edits = static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const std::size_t pos = rng() % (s.size() + 1);
            const char c = alphabet[rng() % alphabet.size()];
            if (rng() % 2) s.insert(s.begin() + static_cast<long>(pos), c);
            else if (pos < s.size()) s.erase(pos, 1);
        }
        // bare_address has one step the former implementation lacked: unquote_address, last.
        const std::string want = unquote_address(old_fields::bare_address(s));
        if (bare_address(s) != want && ++differences <= 5)
            ADD_FAILURE() << "bare_address '" << s << "': " << bare_address(s) << " != " << want;
        std::vector<std::string> want_list = old_fields::address_list(s);
        for (std::string &a : want_list) a = unquote_address(a);
        if (address_list(s) != want_list && ++differences <= 5) ADD_FAILURE() << "address_list '" << s << "'";
        if (strip_type(s) != old_fields::strip_type(s) && ++differences <= 5) ADD_FAILURE() << "strip_type '" << s << "'";
    }
    EXPECT_EQ(differences, 0);
}

TEST(Xtext, PlainAndEncoded) {
    EXPECT_EQ(xtext_decode("plain@example.org"), "plain@example.org");  // no '+': copied as is
    EXPECT_EQ(xtext_decode("a+2Bb@example.org"), "a+b@example.org");
    EXPECT_EQ(xtext_decode("a+2b@example.org"), "a+2b@example.org");  // lower-case hex is not xtext
    EXPECT_EQ(xtext_decode("tail+"), "tail+");
    EXPECT_EQ(xtext_decode(""), "");
    for (const char *s : {"x+3Dy", "+41+42", "a+ZZ", "rfc822;u+2Bv@example.org"}) EXPECT_EQ(xtext_decode(s), old_fields::xtext_decode(s)) << s;
}

TEST(CommandFromText, SameAsTheReferenceOnRandomText) {
    const char *words[] = {"in reply to", "In Reply To", "reply to", "after", "AFTER", "end of", "in", "reply", "to", "After", "RCPT", "rcpt", "TO", "mail", "FROM",
                           "end", "of", "DATA", "data", "command", "EHLO", "helo", "connect", "a", "r", "i", "x",
                           "550", "5.1.1", "<u@example.org>:", "(", ")"};
    std::mt19937 rng(3461);
    int named = 0;
    for (int round = 0; round < 50000; ++round) {
        std::string s;
        const std::size_t n = rng() % 14;
        for (std::size_t i = 0; i < n; ++i) {
            if (i) s += rng() % 6 ? " " : "";
            s += words[rng() % (sizeof words / sizeof *words)];
        }
        const std::string got = command_from_text(s), want = old_fields::command_from_text(s);
        ASSERT_EQ(got, want) << "'" << s << "'";
        named += !got.empty();
    }
    EXPECT_GT(named, 1000);  // enough inputs name a command for the comparison to mean something
}

// fill_original appends the To addresses in place: the same addresses as address_list, after
// the ones already there, and the 10,000-address limit counts only the value's own.
TEST(Addresses, AppendedListSameAsTheList) {
    for (const char *v : {"a@example.org", "\"Doe, J\" <j@example.net>, k@example.org", "group: a@x.org, b@y.org;", ""}) {
        std::vector<std::string> out = {"earlier@example.org", "second@example.org"};
        append_address_list(v, out);
        std::vector<std::string> want = {"earlier@example.org", "second@example.org"};
        for (auto &a : address_list(v)) want.push_back(a);
        EXPECT_EQ(out, want) << v;
    }
    std::string many;
    for (int i = 0; i < 10050; ++i) many += "u" + std::to_string(i) + "@example.org,";
    std::vector<std::string> out(5, "earlier@example.org");
    append_address_list(many, out);
    EXPECT_EQ(out.size(), 10005u);
    EXPECT_EQ(address_list(many).size(), 10000u);
    EXPECT_EQ(out.back(), "u9999@example.org");
}
