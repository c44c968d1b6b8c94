// The progress line's total and text (lib/cli/input.cc input_bytes, lib/cli/output.cc
// progress_text): the walk's sizes without reading, the share done, the time left.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "input.hh"
#include "output.hh"

namespace {

class Tree : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/carom-progress-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        root_ = tmpl;
    }
    void TearDown() override { std::system(("rm -rf '" + root_ + "'").c_str()); }

    std::string write(const std::string &rel, std::size_t bytes) {
        const std::string path = root_ + "/" + rel;
        std::ofstream(path, std::ios::binary) << std::string(bytes, 'x');
        return path;
    }
    std::string dir(const std::string &rel) {
        const std::string path = root_ + "/" + rel;
        ::mkdir(path.c_str(), 0700);
        return path;
    }
    std::string root_;
};

TEST_F(Tree, InputBytesAddsWhatTheWalkWouldRead) {
    dir("d");
    write("d/a.eml", 100);
    write("d/b.mbox", 250);
    write("d/labels.jsonl", 7000);  // sidecar files the walk skips
    write("d/.hidden", 9000);
    dir("d/sub");
    write("d/sub/c", 30);
    dir("d/md");
    dir("d/md/cur");
    dir("d/md/new");
    dir("d/md/tmp");
    write("d/md/cur/1", 5);
    write("d/md/new/2", 6);
    write("d/md/tmp/3", 8000);  // a Maildir's tmp/ is not read
    dir("d/md/.Bounces");
    dir("d/md/.Bounces/cur");
    dir("d/md/.Bounces/new");
    write("d/md/.Bounces/cur/4", 7);
    const std::string one = write("one.eml", 1000);
    EXPECT_EQ(carom_cli::input_bytes({root_ + "/d"}), 100u + 250 + 30 + 5 + 6 + 7);
    EXPECT_EQ(carom_cli::input_bytes({root_ + "/d", one, root_ + "/missing"}), 100u + 250 + 30 + 5 + 6 + 7 + 1000);
    EXPECT_EQ(carom_cli::input_bytes({}), 0u);
}

TEST_F(Tree, StandardInputCountsOnlyAsARegularFile) {
    const std::string f = write("in.mbox", 4321);
    const int saved = ::dup(STDIN_FILENO);
    const int fd = ::open(f.c_str(), O_RDONLY);
    ASSERT_GE(fd, 0);
    ::dup2(fd, STDIN_FILENO);
    EXPECT_EQ(carom_cli::input_bytes({"-"}), 4321u);
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    ::dup2(p[0], STDIN_FILENO);
    EXPECT_EQ(carom_cli::input_bytes({"-", f}), 0u);  // a pipe's size is unknown: no total at all
    ::dup2(saved, STDIN_FILENO);
    for (int d : {fd, p[0], p[1], saved}) ::close(d);
}

TEST(ProgressText, WithoutATotal) {
    EXPECT_EQ(carom_cli::progress_text(2000, 3'000'000, 0, 2.0), "carom: 2000 messages, 3.00 MB, 1000 messages/s");
}

TEST(ProgressText, ShareDoneAndTimeLeft) {
    // A quarter of 8 MB in 30 s: three more quarters take 90 s.
    EXPECT_EQ(carom_cli::progress_text(500, 2'000'000, 8'000'000, 30.0),
              "carom: 500 messages, 2.00 MB of 8.00 MB (25%), 1:30 left, 17 messages/s");
    // Message sizes leave out mbox separators, so the bytes may reach the total early: 99% at most.
    EXPECT_EQ(carom_cli::progress_text(10, 8'000'000, 8'000'000, 10.0),
              "carom: 10 messages, 8.00 MB of 8.00 MB (99%), 0:01 left, 1 messages/s");
    // Nothing read yet: no estimate.
    EXPECT_EQ(carom_cli::progress_text(0, 0, 8'000'000, 1.5), "carom: 0 messages, 0 B of 8.00 MB (0%), 0 messages/s");
}

}  // namespace
