// The ordered table of format readers and the dispatch over it (lib/formats/reader.hh).
//
// Order matters: providers and appliances come first because their detection keys on their own
// markers (vendor headers, fixed senders), while the MTA readers recognise software that those
// providers often run underneath (a mail.ru bounce is an Exim bounce, a Zoho one a Postfix one).
// A reader that knows an MTA's own text better than its RFC 3464 part comes before the generic
// DSN reader; the generic fallback comes last.
#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/readers.hh"
#include "report/report.hh"

namespace carom::formats {

const std::vector<Reader> &registry() {
    static const std::vector<Reader> table = {
        // --- provider and appliance readers (lib/formats/provider_*.cc) ---
        {"amazonses", detect_amazonses_json, read_amazonses_json},
        {"amazonworkmail", detect_amazonworkmail, read_amazonworkmail},
        {"office365", detect_office365, read_office365},
        {"googlegroups", detect_googlegroups, read_googlegroups},
        {"gmail", detect_gmail, read_gmail},
        {"yahoo", detect_yahoo, read_yahoo},
        {"mailru", detect_mailru, read_mailru},
        {"gmx", detect_gmx, read_gmx},
        {"einsundeins", detect_einsundeins, read_gmx},
        {"mxlogic", detect_mxlogic, read_mxlogic},
        // Netscape Messaging Server's layout, which EZweb inherited: the Netscape reader steps
        // aside for EZweb's own notices (mta_netscape.cc).
        {"netscape", netscape_detect, netscape_read},
        {"ezweb", detect_ezweb, read_ezweb},
        {"kddi", detect_kddi, read_kddi},
        {"biglobe", detect_biglobe, read_biglobe},
        {"verizon", detect_verizon, read_verizon},
        {"mfilter", detect_mfilter, read_mfilter},
        {"mcafee", detect_mcafee, read_mcafee},
        {"activehunter", detect_activehunter, read_activehunter},
        {"trendmicro", detect_trendmicro, read_trendmicro},
        {"mailfoundry", detect_mailfoundry, read_mailfoundry},
        {"mailmarshal", detect_mailmarshal, read_mailmarshal},
        {"zoho", detect_zoho, read_zoho},
        // --- MTA readers (lib/formats/mta_*.cc) ---
        {"postfix", postfix_detect, postfix_read},
        {"exim", exim_detect, exim_read},
        {"sendmail", sendmail_detect, sendmail_read},
        {"v5sendmail", v5sendmail_detect, v5sendmail_read},
        {"qmail", qmail_detect, qmail_read},
        {"dragonfly", dragonfly_detect, dragonfly_read},
        {"opensmtpd", opensmtpd_detect, opensmtpd_read},
        {"courier", courier_detect, courier_read},
        {"messagingserver", messagingserver_detect, messagingserver_read},
        {"exchange2003", exchange2003_detect, exchange2003_read},
        {"hmailserver", hmailserver_detect, hmailserver_read},
        {"exchange2000", exchange2000_detect, exchange2000_read},
        {"exchange2007", exchange2007_detect, exchange2007_read},
        {"domino", domino_detect, domino_read},
        {"notes", notes_detect, notes_read},
        {"x1", x1_detect, x1_read},
        {"x3", x3_detect, x3_read},
        {"x6", x6_detect, x6_read},
        {"imailserver", imailserver_detect, imailserver_read},
        {"apachejames", apachejames_detect, apachejames_read},
        {"fml", fml_detect, fml_read},
        {"groupwise", groupwise_detect, groupwise_read},
        // --- delivery agents that answer with their own notice (lib/formats/lda_*.cc): late,
        // their messages are disposition notifications no MTA reader knows ---
        {"dovecot", dovecot_detect, dovecot_read},
        {"cyrus", cyrus_detect, cyrus_read},
    };
    return table;
}

namespace {

// The table's readers in order; true (ex filled) at the first that yields records.
bool read_registry(const Input &in, Extraction &ex) {
    // Each reader works on a fresh Extraction holding ex.original. When ex is one already (as
    // the engine passes it: every field but original at its default, as listed here from
    // base/model.hh), that is ex itself, reset only after a reader that yields nothing; otherwise
    // a fresh one that borrows ex.original (moved, not copied, and moved back).
    const bool fresh = ex.format.empty() && ex.records.empty() && !ex.bounce && !ex.auto_reply && !ex.feedback &&
                       !ex.mdn && ex.notice.empty();
    for (const Reader &r : registry()) {
        if (!r.detect(in)) continue;
        if (fresh) {
            if (r.read(in, ex) && !ex.records.empty()) {
                if (ex.format.empty()) ex.format = r.name;
                ex.bounce = true;
                return true;
            }
            Extraction reset;
            reset.original = std::move(ex.original);
            ex = std::move(reset);
            continue;
        }
        Extraction tmp;
        tmp.original = std::move(ex.original);
        const bool ok = r.read(in, tmp) && !tmp.records.empty();
        if (ok) {
            if (tmp.format.empty()) tmp.format = r.name;
            tmp.bounce = true;
            ex = std::move(tmp);
            return true;
        }
        ex.original = std::move(tmp.original);
    }
    return false;
}

}  // namespace

bool read_known(const Input &in_, Extraction &ex) {
    // One scan of the body for every detect step's phrases, the Subject and From decoded once
    // (formats/markers.hh).
    const Scan once = scan(in_);
    const Input in{in_.msg, in_.body, in_.limits, &once};
    // A person's reply that quotes a bounce (Outlook quotes it without "> ") is the person's
    // mail: no format reader reads its text (person_replying, mta_common.hh). A forward is read:
    // it passes a report on whole.
    if (!person_replying(in) && read_registry(in, ex)) return true;
    if (report::read_dsn(in.msg, ex)) return true;
    return report::read_auto_reply(in.msg, ex);
}

bool read(const Input &in, Extraction &ex) { return read_known(in, ex) || read_fallback(in, ex); }

}  // namespace carom::formats
