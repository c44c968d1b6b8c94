#!/usr/bin/env python3
"""A scripted SMTP peer for tests/realmta/provoke.sh: plays remote MX hosts (each port its own
script of replies) and the sender's own MX (a sink that saves every message it is given).

    peer.py CONFIG.json

CONFIG: {"ports": {"PORT": {"greeting": "220 mx.example.net ESMTP", "ehlo": [...extensions],
          "mail": "250 2.1.0 Ok", "rcpt": {"localpart": "550 5.1.1 ...", "*": "250 2.1.5 Ok"},
          "data": "354 End data with <CR><LF>.<CR><LF>", "eod": "250 2.0.0 Ok", "save": "DIR",
          "close_after_greeting": true}}}
A reply may have several lines (separated by "\\n"); the code of the first line is repeated on each
(continuation lines get "-"). A greeting that starts with 4 or 5 closes the connection after it.
Stopped by its PID (SIGTERM)."""
import asyncio, itertools, json, os, sys

counter = itertools.count(1)


def lines(reply):
    parts = reply.split("\n")
    code = parts[0][:3]
    out = []
    for i, p in enumerate(parts):
        text = p[4:] if i == 0 else p
        sep = " " if i == len(parts) - 1 else "-"
        out.append(f"{code}{sep}{text}\r\n")
    return "".join(out).encode()


def handler(cfg):
    async def handle(reader, writer):
        async def send(reply):
            writer.write(lines(reply))
            await writer.drain()
        try:
            greeting = cfg.get("greeting", "220 mx.example.net ESMTP")
            await send(greeting)
            if greeting[0] in "45" or cfg.get("close_after_greeting"):
                await asyncio.sleep(0.2)
                return
            rcpts, mail_from = [], None
            while True:
                raw = await asyncio.wait_for(reader.readline(), 120)
                if not raw:
                    return
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                verb = line.split(" ", 1)[0].split(":", 1)[0].upper()
                if verb in ("EHLO", "HELO"):
                    ext = cfg.get("ehlo", ["PIPELINING", "8BITMIME"])
                    await send("\n".join(["250 " + cfg.get("name", "mx.example.net")] + ext) if verb == "EHLO"
                               else "250 " + cfg.get("name", "mx.example.net"))
                elif verb == "MAIL":
                    mail_from = line.split(":", 1)[1].strip()
                    rcpts = []
                    await send(cfg.get("mail", "250 2.1.0 Ok"))
                elif verb == "RCPT":
                    addr = line.split(":", 1)[1].strip().split(" ")[0].strip("<>")
                    local = addr.split("@")[0].lower()
                    rmap = cfg.get("rcpt", {})
                    reply = rmap.get(local, rmap.get("*", "250 2.1.5 Ok"))
                    reply = reply.replace("{addr}", addr)
                    if reply.startswith("2"):
                        rcpts.append(addr)
                    await send(reply)
                elif verb == "DATA":
                    if not rcpts:
                        await send("554 5.5.1 Error: no valid recipients")
                        continue
                    await send(cfg.get("data", "354 End data with <CR><LF>.<CR><LF>"))
                    body = []
                    while True:
                        raw = await asyncio.wait_for(reader.readline(), 120)
                        if not raw or raw in (b".\r\n", b".\n"):
                            break
                        body.append(raw[1:] if raw.startswith(b"..") else raw)
                    if cfg.get("save"):
                        n = next(counter)
                        path = os.path.join(cfg["save"], "%04d.eml" % n)
                        with open(path + ".tmp", "wb") as f:
                            f.write(b"".join(body).replace(b"\r\n", b"\n"))
                        with open(path[:-4] + ".from", "w") as f:
                            f.write(mail_from.split(" ")[0].strip().strip("<>"))
                        os.rename(path + ".tmp", path)
                    await send(cfg.get("eod", "250 2.0.0 Ok: queued"))
                elif verb == "RSET":
                    rcpts = []
                    await send("250 2.0.0 Ok")
                elif verb == "NOOP":
                    await send("250 2.0.0 Ok")
                elif verb == "QUIT":
                    await send("221 2.0.0 Bye")
                    return
                else:
                    await send("502 5.5.2 Error: command not recognized")
        except (asyncio.TimeoutError, ConnectionError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass
    return handle


async def main():
    conf = json.load(open(sys.argv[1]))
    servers = []
    for port, cfg in conf["ports"].items():
        servers.append(await asyncio.start_server(handler(cfg), "127.0.0.1", int(port)))
    await asyncio.gather(*(s.serve_forever() for s in servers))


asyncio.run(main())
