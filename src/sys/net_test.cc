#include "sys/net.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <set>

namespace berth::sys {
namespace {

TEST(FreeLoopbackPorts, DistinctAndFreeToListenOn) {
  auto ports = FreeLoopbackPorts(5);
  ASSERT_TRUE(ports.has_value()) << ports.error().message();
  ASSERT_EQ(ports->size(), 5u);
  EXPECT_EQ(std::set<int>(ports->begin(), ports->end()).size(), 5u);
  for (int port : *ports) {
    ASSERT_GT(port, 0);
    EXPECT_FALSE(
        TcpAccepts("127.0.0.1", static_cast<uint16_t>(port), std::chrono::milliseconds(200)))
        << port;
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0) << port;
    EXPECT_EQ(listen(fd, 1), 0);
    EXPECT_TRUE(TcpAccepts("127.0.0.1", static_cast<uint16_t>(port), std::chrono::seconds(1)));
    close(fd);
  }
}

}  // namespace
}  // namespace berth::sys
