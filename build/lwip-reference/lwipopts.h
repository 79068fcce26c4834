#ifndef LWIP_LWIPOPTS_H
#define LWIP_LWIPOPTS_H
/* lwIP options for the churn reference (build/lwip-reference/build.sh): httpd on the raw API, NO_SYS, IPv4. */
#define NO_SYS                     1
#define LWIP_SOCKET                0
#define LWIP_NETCONN               0
#define LWIP_NETIF_API             0
#define LWIP_IPV4                  1
#define LWIP_IPV6                  0
#define LWIP_ICMP                  1
#define LWIP_UDP                   1
#define LWIP_TCP                   1
#define LWIP_DHCP                  0
#define LWIP_ARP                   1
#define LWIP_RAW                   0
#define LWIP_IGMP                  0
#define LWIP_DNS                   0
#define SYS_LIGHTWEIGHT_PROT       0
#define LWIP_TIMERS                1
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_HAVE_LOOPIF           0
#define LWIP_NETIF_LOOPBACK        0
#define MEM_ALIGNMENT              8
#define MEM_SIZE                   (1024 * 1024)
#define MEMP_NUM_PBUF              256
#define MEMP_NUM_TCP_PCB           64
#define MEMP_NUM_TCP_PCB_LISTEN    4
#define MEMP_NUM_TCP_SEG           512
#define MEMP_NUM_SYS_TIMEOUT       16
#define PBUF_POOL_SIZE             512
#define PBUF_POOL_BUFSIZE          1600
#define TCP_MSS                    1460
#define TCP_WND                    (32 * TCP_MSS)
#define TCP_SND_BUF                (16 * TCP_MSS)
#define TCP_SND_QUEUELEN           (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG         0
#define LWIP_STATS                 0
#define LWIP_STATS_DISPLAY         0
#define LWIP_HTTPD_SSI             0
#define LWIP_HTTPD_CGI             0
#define HTTPD_USE_CUSTOM_FSDATA    0
#define LWIP_NETIF_HOSTNAME        0
#define LWIP_CHECKSUM_ON_COPY      1
#endif
