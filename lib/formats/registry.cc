// The registry: the ordered list of format readers, the automaton of their body markers, and the
// dispatch over them (lib/formats/reader.hh).
//
// Order matters: providers and appliances come first because their detection keys on their own
// markers (vendor headers, fixed senders), while the MTA readers recognise software that those
// providers often run underneath (a mail.ru bounce is an Exim bounce, a Zoho one a Postfix one).
// A reader that knows an MTA's own text better than its RFC 3464 part comes before the generic
// DSN reader; the generic fallback comes last (the engine calls it, lib/core/engine.cc).
#include <vector>

#include "formats/markers.hh"
#include "formats/mta_common.hh"
#include "formats/reader.hh"
#include "formats/text.hh"
#include "report/report.hh"

// Every registered reader, in the order they are tried: X(NAME) stands for NAME_reader, the
// descriptor its file defines. Adding a reader is its file and one line here.
#define CAROM_FORMAT_READERS(X)                                                                 \
    /* --- providers and appliances (provider_*.cc) --- */                                      \
    X(amazonses)                                                                                \
    X(amazonworkmail)                                                                           \
    X(office365)                                                                                \
    X(googlegroups)                                                                             \
    X(gmail)                                                                                    \
    X(yahoo)                                                                                    \
    X(aol)                                                                                      \
    X(mailru)                                                                                   \
    X(gmx)                                                                                      \
    X(einsundeins)                                                                              \
    X(mxlogic)                                                                                  \
    /* Netscape Messaging Server's layout, which EZweb inherited: the Netscape reader steps */  \
    /* aside for EZweb's own notices (mta_netscape.cc). */                                      \
    X(netscape)                                                                                 \
    X(ezweb)                                                                                    \
    X(kddi)                                                                                     \
    X(biglobe)                                                                                  \
    X(verizon)                                                                                  \
    X(mfilter)                                                                                  \
    X(mcafee)                                                                                   \
    X(activehunter)                                                                             \
    X(trendmicro)                                                                               \
    X(mailfoundry)                                                                              \
    X(mailmarshal)                                                                              \
    X(zoho)                                                                                     \
    /* --- MTAs (mta_*.cc) --- */                                                               \
    X(postfix)                                                                                  \
    X(exim)                                                                                     \
    X(sendmail)                                                                                 \
    X(v5sendmail)                                                                               \
    X(qmail)                                                                                    \
    X(dragonfly)                                                                                \
    X(opensmtpd)                                                                                \
    X(courier)                                                                                  \
    X(messagingserver)                                                                          \
    X(exchange2003)                                                                             \
    X(hmailserver)                                                                              \
    X(exchange2000)                                                                             \
    X(exchange2007)                                                                             \
    X(domino)                                                                                   \
    X(notes)                                                                                    \
    X(openmail)                                                                                 \
    X(smtpsvc)                                                                                  \
    X(hadtrouble)                                                                               \
    X(imailserver)                                                                              \
    X(apachejames)                                                                              \
    X(fml)                                                                                      \
    X(groupwise)                                                                                \
    /* --- delivery agents that answer with their own notice (lda_*.cc): late, their */         \
    /* messages are disposition notifications no MTA reader knows --- */                        \
    X(dovecot)                                                                                  \
    X(cyrus)

namespace carom::formats {

#define CAROM_DECLARE_READER(name) extern const Reader name##_reader;
CAROM_FORMAT_READERS(CAROM_DECLARE_READER)
#undef CAROM_DECLARE_READER

namespace {

// A registered reader and where its markers sit among all the automaton's phrases.
struct Entry {
    const Reader *reader;
    std::size_t base;
};

struct Registry {
    std::vector<Entry> readers;
    PhraseAutomaton automaton;
};

#define CAROM_READER_ADDRESS(name) &name##_reader,

// The support code's markers first (before_original's, markers.cc counts on them at 0), then
// each reader's list once: readers of one file that share a list share its place.
Registry make_registry() {
    static const Reader *const kReaders[] = {CAROM_FORMAT_READERS(CAROM_READER_ADDRESS)};
    std::vector<std::string_view> phrases(std::begin(kOriginalStarts), std::end(kOriginalStarts));
    std::vector<Entry> readers;
    for (const Reader *r : kReaders) {
        std::size_t base = phrases.size();
        for (const Entry &e : readers)
            if (e.reader->markers.list == r->markers.list) base = e.base;
        if (base == phrases.size()) phrases.insert(phrases.end(), r->markers.list, r->markers.list + r->markers.size);
        readers.push_back({r, base});
    }
    return Registry{std::move(readers), PhraseAutomaton(std::move(phrases))};
}

#undef CAROM_READER_ADDRESS

const Registry &registry() {
    static const Registry r = make_registry();  // immutable after construction (thread-safe initialisation)
    return r;
}

// Whether the earliest of the reader's body markers stands on a line of text that opens with
// white space or ">" quoting: the notice's text is set off as a quotation.
bool pasted_notice(const Input &rin) {
    const std::size_t n = rin.markers.phrases.size;
    if (n == 0) return false;
    const MarkerMask all = n >= 64 ? ~MarkerMask{0} : (MarkerMask{1} << n) - 1;
    const std::size_t p = body_find_first(rin, all);
    if (p == std::string_view::npos) return false;
    const std::string_view body = rin.body;
    const std::size_t nl = body.rfind('\n', p == 0 ? 0 : p - 1);
    const std::size_t ls = (nl == std::string_view::npos || p == 0) ? 0 : nl + 1;
    if (ls >= p || (body[ls] != ' ' && body[ls] != '\t' && body[ls] != '>')) return false;
    // A line of text, not of data: JSON sent by e-mail (an SNS notification) is indented too.
    const std::size_t first = body.find_first_not_of(" \t>", ls);
    return first < p && is_alnum(body[first]);
}

// The readers in order; true (ex filled) at the first that yields records. `person`: the
// message is a person's own (person_writing), whose quoted notice text no reader reads.
bool read_registry(const Input &in, Extraction &ex, bool person) {
    // Each reader works on a fresh Extraction holding ex.original. When ex is one already (as
    // the engine passes it: every field but original at its default, as listed here from
    // base/model.hh), that is ex itself, reset only after a reader that yields nothing; otherwise
    // a fresh one that borrows ex.original (moved, not copied, and moved back).
    const bool fresh = ex.format.empty() && ex.records.empty() && !ex.bounce && !ex.auto_reply && !ex.feedback &&
                       !ex.mdn && ex.notice.empty();
    for (const Entry &e : registry().readers) {
        const Reader &r = *e.reader;
        const Input rin = reader_input(in, r.markers, e.base);
        if (person && pasted_notice(rin)) continue;
        if (!r.detect(rin)) continue;
        if (fresh) {
            if (r.read(rin, ex) && !ex.records.empty()) {
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
        const bool ok = r.read(rin, tmp) && !tmp.records.empty();
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

const PhraseAutomaton &body_automaton() { return registry().automaton; }

void prepare() { (void)registry(); }

bool read_known(const Input &in_, Extraction &ex) {
    // One scan of the body for every reader's markers, the Subject decoded once (markers.hh).
    const Scan once = scan(in_);
    const Input in{in_.msg, in_.body, in_.limits, &once};
    // A person's reply that quotes a bounce (Outlook quotes it without "> ") is the person's
    // mail: no format reader reads its text (person_replying, mta_common.hh). A forward is read:
    // it passes a report on whole.
    // A person's own message may paste a notice's lines, indented or "> "-quoted: the readers
    // whose text it holds only so are not run (pasted_notice).
    if (!person_replying(in) && read_registry(in, ex, person_writing(in, ex))) return true;
    if (report::read_dsn(in.msg, ex)) return true;
    return report::read_auto_reply(in.msg, ex);
}

}  // namespace carom::formats
