// The backscatter verdict (docs/backscatter.md).
//
// A message is backscatter when it is bounce-like (a DSN, a non-standard bounce, an auto-reply, a
// challenge or an antivirus notice) AND the message it reports was not ours. Every signal reports
// an outcome (genuine / backscatter / unknown) with its evidence; the verdict takes the strongest
// tier that has evidence:
//
//   1. decisive: the caller's send-log callback; BATV tags (when keys are configured)
//   2. strong:   our relays in the returned Received chain; our Message-ID domains or patterns;
//                a VERP address with a valid or invalid HMAC
//   3. medium:   the returned original's senders all outside our domains (misdirected)
//   4. content:  challenge-response and antivirus notices; auto-replies to forged-looking originals
//
// Within a tier, agreeing signals decide; disagreeing ones leave that tier undecided and the next
// tier is consulted. Without decisive evidence the verdict is unknown and records keep their
// bounce class, so a plain DSN without context is never turned into backscatter.
//
// The signals' checks live in their own files (classify/backscatter.hh lists them); this file
// turns each check into an outcome and weighs the outcomes.
#include <ctime>

#include "base/calendar.hh"
#include "base/strings.hh"
#include "classify/backscatter.hh"
#include "classify/classifier.hh"
#include "classify/envelope.hh"
#include "formats/text.hh"
#include "report/envelope.hh"
#include "report/fields.hh"

namespace carom {
namespace {

enum class Outcome { unknown, genuine, backscatter };

const char *outcome_name(Outcome o) {
    return o == Outcome::genuine ? "genuine" : o == Outcome::backscatter ? "backscatter" : "unknown";
}

// The signals evaluated so far: each is written to the result (name, outcome, evidence) and
// remembered with its tier (1 decisive ... 4 content) for the verdict.
class Signals {
public:
    explicit Signals(Backscatter &b) : b_(b) {}

    void add(const char *name, int tier, Outcome o, std::string evidence) {
        b_.signals.push_back(Signal{name, outcome_name(o), std::move(evidence)});
        tiers_.push_back(Tiered{tier, o});
    }

    // The first tier, from 1 to 4, whose opinions all agree decides; a tier without opinions or
    // with disagreeing ones passes to the next.
    carom_verdict_t verdict() const {
        for (int tier = 1; tier <= 4; ++tier) {
            bool genuine = false, backscatter = false;
            for (const Tiered &t : tiers_) {
                if (t.tier != tier) continue;
                genuine = genuine || t.outcome == Outcome::genuine;
                backscatter = backscatter || t.outcome == Outcome::backscatter;
            }
            if (genuine && !backscatter) return CAROM_VERDICT_GENUINE;
            if (backscatter && !genuine) return CAROM_VERDICT_BACKSCATTER;
        }
        return CAROM_VERDICT_UNKNOWN;
    }

private:
    struct Tiered {
        int tier;
        Outcome outcome;
    };
    Backscatter &b_;
    std::vector<Tiered> tiers_;
};

// The day (since 1970, UTC) a message was written, from its Date header; -1 when unreadable.
long long message_day(const mime::Headers &h) {
    const std::string_view *date = h.get("Date");
    if (!date) return -1;
    std::string iso = report::iso_date(*date);  // "YYYY-MM-DDTHH:MM:SSZ"
    if (iso.size() < 10 || iso[4] != '-' || iso[7] != '-') return -1;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!is_digit(iso[i])) return -1;
    long long y = std::stoll(iso.substr(0, 4));
    unsigned m = static_cast<unsigned>(std::stoi(iso.substr(5, 2))), d = static_cast<unsigned>(std::stoi(iso.substr(8, 2)));
    if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970) return -1;
    return days_from_civil(y, m, d);
}

// ---- tier 1: decisive ----------------------------------------------------------------------

// The caller's send log, asked about the returned Message-ID for each recipient until it knows.
void send_log_signal(const Context &ctx, const std::string &mid, const std::vector<Record> &records, Signals &s) {
    if (mid.empty()) return s.add("send_log", 1, Outcome::unknown, "the bounce returns no Message-ID to look up");
    carom_sent_t answer = CAROM_SENT_UNKNOWN;
    std::string asked;
    for (const Record &r : records) {
        answer = ctx.sent_callback(ctx.sent_user_data, mid.data(), mid.size(), r.recipient.data(), r.recipient.size());
        asked = r.recipient;
        if (answer != CAROM_SENT_UNKNOWN) break;
    }
    Outcome o = answer == CAROM_SENT_YES ? Outcome::genuine : answer == CAROM_SENT_NO ? Outcome::backscatter : Outcome::unknown;
    const char *word = answer == CAROM_SENT_YES ? "yes" : answer == CAROM_SENT_NO ? "no" : "unknown";
    s.add("send_log", 1, o, "send log answered " + std::string(word) + " for <" + mid + ">" + (asked.empty() ? "" : " to " + asked));
}

// BATV tags on the bounce's envelope recipients and on the original's Return-Path.
void batv_signal(const Context &ctx, const mime::Message &msg, const Original &og, Signals &s) {
    // "Today" is the bounce's own date, so that an archive classifies the same way later; the
    // clock only when the bounce has no readable Date.
    long long today = message_day(msg.root.headers);
    if (today < 0) today = static_cast<long long>(std::time(nullptr)) / 86400;
    std::vector<std::string> addrs = envelope_recipients(msg);
    if (std::string rp = formats::find_address(og.return_path); !rp.empty()) addrs.push_back(rp);
    // A tag anywhere decides (a delivery agent may strip it from Delivered-To while To keeps it);
    // a missing tag counts only when no address carries one and one is in our domains.
    bool tagged = false;
    std::string untagged_ours;
    for (const std::string &a : addrs) {
        BatvCheck c = check_batv(a, ctx, today);
        switch (c.state) {
            case BatvCheck::missing:
                if (untagged_ours.empty() && !ctx.domains.empty() && in_domains(address_domain(a), ctx.domains))
                    untagged_ours = a;
                continue;
            case BatvCheck::pass: s.add("batv", 1, Outcome::genuine, c.evidence); break;
            case BatvCheck::bad_signature:
            case BatvCheck::expired:
            case BatvCheck::malformed: s.add("batv", 1, Outcome::backscatter, c.evidence); break;
            case BatvCheck::unknown_key:
            case BatvCheck::unavailable: s.add("batv", 1, Outcome::unknown, c.evidence); break;
        }
        tagged = true;
    }
    if (tagged) return;
    if (!untagged_ours.empty())
        s.add("batv", 1, Outcome::backscatter, "no prvs= tag on " + untagged_ours + " although our outbound mail is signed");
    else
        s.add("batv", 1, Outcome::unknown, "no envelope recipient in our domains to check");
}

// ---- tier 2: strong ------------------------------------------------------------------------

// One of our relays wrote a hop of the returned Received chain, or was its verified client.
void relays_signal(const Context &ctx, const Original &og, Signals &s) {
    const std::size_t n = og.received.size();
    if (n == 0) return s.add("relays", 2, Outcome::unknown, "the bounce returns no Received chain");
    for (std::size_t i = 0; i < n; ++i) {
        ReceivedHop hop = parse_received(og.received[i]);
        for (const std::string &relay : ctx.relays)
            if (hop_has_relay(hop, relay))
                return s.add("relays", 2, Outcome::genuine,
                             "our relay " + relay + " (hop " + std::to_string(i + 1) + " of " + std::to_string(n) +
                                 ") is in the returned Received chain");
    }
    s.add("relays", 2, Outcome::backscatter,
          "none of our relays is in the returned Received chain (" + std::to_string(n) + (n == 1 ? " hop)" : " hops)"));
}

void message_id_signal(const Context &ctx, const std::string &mid, Signals &s) {
    if (mid.empty())
        s.add("message_id", 2, Outcome::unknown, "the bounce returns no Message-ID");
    else if (message_id_is_ours(mid, ctx))
        s.add("message_id", 2, Outcome::genuine, "Message-ID <" + mid + "> is ours");
    else
        s.add("message_id", 2, Outcome::backscatter, "Message-ID <" + mid + "> is not ours");
}

// The first envelope recipient that has the VERP template's shape.
void verp_signal(const Context &ctx, const mime::Message &msg, Signals &s) {
    for (const std::string &a : envelope_recipients(msg)) {
        VerpCheck v = check_verp(report::unwrap_return_address(a), ctx);  // SRS / BATV layers undone
        if (!v.matched) continue;
        Outcome o = v.state == VerpCheck::pass            ? Outcome::genuine
                    : v.state == VerpCheck::bad_signature ? Outcome::backscatter
                                                          : Outcome::unknown;
        return s.add("verp", 2, o, v.evidence);
    }
}

// ---- tier 3: medium ------------------------------------------------------------------------

// The original's sender outside our domains means misdirected; inside them proves nothing (it is
// what forgers use).
void original_sender_signal(const Context &ctx, const Original &og, Signals &s) {
    std::string rp = address_domain(og.return_path), from = address_domain(og.from);
    if (rp.empty() && from.empty())
        s.add("original_sender", 3, Outcome::unknown, "the returned original names no sender");
    else if (in_domains(rp, ctx.domains) || in_domains(from, ctx.domains))
        s.add("original_sender", 3, Outcome::unknown,
              "the original sender's domain " + (in_domains(rp, ctx.domains) ? rp : from) + " is ours");
    else
        s.add("original_sender", 3, Outcome::backscatter,
              "the original sender's domain " + (rp.empty() ? from : rp) + " is not ours");
}

// ---- tier 4: content, without context ------------------------------------------------------

void content_signals(const Extraction &ex, const std::string &mid, const Result &out, Signals &s) {
    if (ex.notice == "challenge")
        s.add("challenge_response", 4, Outcome::backscatter, "challenge-response message: " + out.records.front().diagnostic);
    else if (ex.notice == "virusnotice")
        s.add("virus_notice", 4, Outcome::backscatter, "antivirus or content-filter notice: " + out.records.front().diagnostic);
    std::string evidence;
    if (!ex.original.present || !looks_forged(ex.original, mid, evidence)) return;
    if (ex.auto_reply)
        s.add("forged_original", 4, Outcome::backscatter, "auto-reply to a forged-looking message: " + evidence);
    else  // a hint only on a bounce: ESPs and mailing lists send with unrelated domains too
        s.add("forged_original", 4, Outcome::unknown, "the returned original looks forged: " + evidence);
}

// Backscatter records all become class backscatter. A challenge or filter notice about mail we
// did send is not backscatter: a challenge waits for us like an auto-reply, a filter notice
// refused our content.
void reclassify(carom_verdict_t verdict, const std::string &notice, std::vector<Record> &records) {
    if (verdict == CAROM_VERDICT_BACKSCATTER) {
        for (Record &r : records) r.cls = CAROM_CLASS_BACKSCATTER;
    } else if (verdict == CAROM_VERDICT_GENUINE && !notice.empty()) {
        for (Record &r : records) r.cls = notice == "challenge" ? CAROM_CLASS_AUTO_REPLY : CAROM_CLASS_BLOCK;
    }
}

}  // namespace

void judge_backscatter(const Context &ctx, const mime::Message &msg, const Extraction &ex, Result &out) {
    out.backscatter.verdict = CAROM_VERDICT_UNKNOWN;
    if (out.records.empty()) return;  // not bounce-like: nothing to judge
    Signals s(out.backscatter);
    const Original &og = ex.original;
    const std::string mid = bare_message_id(og.message_id);
    if (ctx.sent_callback) send_log_signal(ctx, mid, out.records, s);
    if (!ctx.batv_keys.empty()) batv_signal(ctx, msg, og, s);
    if (!ctx.relays.empty()) relays_signal(ctx, og, s);
    if (!ctx.message_id_domains.empty() || !ctx.message_id_patterns.empty()) message_id_signal(ctx, mid, s);
    if (!ctx.verp_template.empty()) verp_signal(ctx, msg, s);
    if (!ctx.domains.empty()) original_sender_signal(ctx, og, s);
    content_signals(ex, mid, out, s);
    out.backscatter.verdict = s.verdict();
    reclassify(out.backscatter.verdict, ex.notice, out.records);
}

}  // namespace carom
