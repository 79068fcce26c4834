/* Port settings for the churn reference: the address churn.sh expects and the httpd application only. */
#define LWIP_PORT_INIT_IPADDR(addr)   IP4_ADDR((addr), 10,213,99,3)
#define LWIP_PORT_INIT_GW(addr)       IP4_ADDR((addr), 10,213,99,1)
#define LWIP_PORT_INIT_NETMASK(addr)  IP4_ADDR((addr), 255,255,255,0)
#define LWIP_MAC_ADDR_BASE            {0x02,0x12,0x34,0x56,0x78,0xab}
#define USE_DHCP    0
#define USE_AUTOIP  0
#define LWIP_HTTPD_APP                1
