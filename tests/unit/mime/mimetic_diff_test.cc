// A second reading of the same bytes: mimetic, an independent MIME parser, checks the tree that
// carom's own splitter builds (docs/mime.md). For every well-formed message of the project's
// corpora (corpus/, tests/precision/) both must agree on the shape of the tree (the type and
// subtype of each part, the number of parts of each multipart) and on the transfer-decoded bytes
// of each text leaf in ASCII or UTF-8. A regression in our splitter or our base64 / QP decoders
// then shows up as a disagreement with someone else's code. mimetic is used only here: it does not
// descend into attached messages, so neither comparison does.
#include <gtest/gtest.h>
#include <mimetic/mimetic.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "mime/message.hh"

namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Line ends as carom keeps them (LF), without the trailing blank lines that the two parsers
// assign differently to the text and to the boundary that follows it.
std::string comparable(std::string s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (s[i] != '\r') out += s[i];
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ' || out.back() == '\t')) out.pop_back();
    return out;
}

std::string mimetic_decoded(const mimetic::MimeEntity &e) {
    const std::string mech = lower(e.header().contentTransferEncoding().mechanism().c_str());
    const std::string &body = e.body();
    std::string out;
    if (mech == "base64") {
        mimetic::Base64::Decoder d;
        mimetic::decode(body.begin(), body.end(), d, std::back_inserter(out));
    } else if (mech == "quoted-printable") {
        mimetic::QP::Decoder d;
        mimetic::decode(body.begin(), body.end(), d, std::back_inserter(out));
    } else {
        out = body;
    }
    return out;
}

bool plain_charset(const std::string &charset) {
    const std::string c = lower(charset);
    return c.empty() || c == "us-ascii" || c == "utf-8" || c == "utf8" || c == "ascii";
}

struct Walk {
    std::string file;
    std::string_view bytes;
    std::vector<std::string> problems;
    std::size_t parts = 0, texts = 0;
    bool malformed = false;

    void compare(const carom::mime::Part &ours, const mimetic::MimeEntity &theirs, const std::string &at) {
        ++parts;
        const auto &ct = theirs.header().contentType();
        std::string type = lower(ct.type().c_str()), subtype = lower(ct.subtype().c_str());
        if (type.empty()) type = "text", subtype = "plain";  // RFC 2045's default, as carom's
        if (ours.type != type || ours.subtype != subtype) {
            // Not well-formed: a multipart whose boundary never occurs. carom reads its body as
            // text on purpose (docs/mime.md); mimetic keeps the declared type.
            const std::string boundary = ct.param("boundary");
            if (type == "multipart" && ours.type == "text" &&
                (boundary.empty() || bytes.find("\n--" + boundary) == std::string_view::npos)) {
                malformed = true;
                return;
            }
            problems.push_back(at + ": carom reads " + ours.type + "/" + ours.subtype + ", mimetic " + type + "/" + subtype);
            return;
        }
        if (ours.multipart()) {
            const auto &kids = theirs.body().parts();
            if (kids.size() != ours.children.size()) {
                problems.push_back(at + ": carom finds " + std::to_string(ours.children.size()) + " parts, mimetic " +
                                   std::to_string(kids.size()));
                return;
            }
            std::size_t k = 0;
            for (const mimetic::MimeEntity *child : kids) {
                compare(ours.children[k], *child, at + "." + std::to_string(k + 1));
                ++k;
            }
            return;
        }
        if (ours.type != "text" || !plain_charset(ct.param("charset"))) return;
        ++texts;
        const std::string mine = comparable(ours.text.empty() ? ours.body : ours.text);
        const std::string other = comparable(mimetic_decoded(theirs));
        if (mine != other)
            problems.push_back(at + " (" + ours.type + "/" + ours.subtype + "): decoded text differs: carom " +
                               std::to_string(mine.size()) + " bytes, mimetic " + std::to_string(other.size()) +
                               " bytes");
    }
};

std::vector<fs::path> messages() {
    std::vector<fs::path> out;
    for (const char *dir : {"corpus", "tests/precision"}) {
        const fs::path root = fs::path(CAROM_SOURCE_ROOT) / dir;
        if (!fs::exists(root)) continue;
        for (const auto &e : fs::recursive_directory_iterator(root))
            if (e.is_regular_file() && e.path().extension() == ".eml") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(MimeticAgrees, OnTheTreeAndTheDecodedTextOfEveryProjectMessage) {
    const std::vector<fs::path> files = messages();
    ASSERT_GT(files.size(), 100u) << "the corpora were not found under " << CAROM_SOURCE_ROOT;
    std::size_t parts = 0, texts = 0, compared = 0;
    for (const fs::path &p : files) {
        const std::string bytes = slurp(p);
        carom::mime::Message ours;
        std::string error;
        if (carom::mime::parse(bytes, carom::Limits{}, ours, error) != CAROM_OK) continue;  // not well-formed
        mimetic::MimeEntity theirs(bytes.begin(), bytes.end());
        Walk w{p.lexically_relative(CAROM_SOURCE_ROOT).string(), bytes};
        w.compare(ours.root, theirs, "part 1");
        if (w.malformed) continue;
        for (const std::string &problem : w.problems) ADD_FAILURE() << w.file << ": " << problem;
        parts += w.parts;
        texts += w.texts;
        ++compared;
    }
    // The comparison must have had something to compare: many messages, multiparts, decoded texts.
    EXPECT_GT(compared, 100u);
    EXPECT_GT(2 * parts, 3 * compared);
    EXPECT_GT(texts, compared);
    std::printf("compared %zu messages, %zu parts, %zu text leaves\n", compared, parts, texts);
}

// The check itself can fail: a tree that differs is reported.
TEST(MimeticAgrees, ADifferentTreeIsReported) {
    const std::string bytes =
        "Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nhello\n--b\n"
        "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n--b--\n";
    carom::mime::Message ours;
    std::string error;
    ASSERT_EQ(carom::mime::parse(bytes, carom::Limits{}, ours, error), CAROM_OK) << error;
    mimetic::MimeEntity theirs(bytes.begin(), bytes.end());
    Walk same{"t", bytes};
    same.compare(ours.root, theirs, "part 1");
    EXPECT_TRUE(same.problems.empty()) << same.problems.front();
    EXPECT_EQ(same.texts, 2u);
    ASSERT_EQ(ours.root.children.size(), 2u);
    ours.root.children[1].text = "hello word";  // as if our base64 decoder had lost a byte
    Walk changed{"t", bytes};
    changed.compare(ours.root, theirs, "part 1");
    ASSERT_EQ(changed.problems.size(), 1u);
    EXPECT_NE(changed.problems[0].find("part 1.2"), std::string::npos) << changed.problems[0];
    ours.root.children.pop_back();
    Walk fewer{"t", bytes};
    fewer.compare(ours.root, theirs, "part 1");
    ASSERT_EQ(fewer.problems.size(), 1u);
    EXPECT_NE(fewer.problems[0].find("carom finds 1 parts, mimetic 2"), std::string::npos) << fewer.problems[0];
}

}  // namespace
