# What every throw-away Postfix instance of the tests has in its configuration, sourced by
# tests/backscatter/postfix.sh and tests/realmta/provoke.sh; each adds its own settings.

# instance_main_cf DIR HOSTNAME: the main.cf lines that put an instance on 127.0.0.1 with its
# own queue, data directory and log under DIR
instance_main_cf() {
    cat <<EOF
compatibility_level = 3.6
myhostname = $2
mydomain = ${2#*.}
myorigin = \$mydomain
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
queue_directory = $1/queue
data_directory = $1/data
maillog_file = $1/maillog
maillog_file_prefixes = $1
mail_owner = postfix
setgid_group = postdrop
EOF
}

# instance_master_services: Postfix's standard services for master.cf
instance_master_services() {
    cat <<'EOF'
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
virtual   unix  - n n - - virtual
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
}
