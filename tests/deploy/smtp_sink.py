"""An SMTP server that keeps what it receives: one file per message in a folder, named by
arrival, holding the envelope's recipients on its first line and then the message. Enough
SMTP for one client on a loopback port (no TLS, no authentication), nothing more.

    python3 smtp_sink.py PORT FOLDER
"""

import asyncio
import os
import sys

FOLDER = sys.argv[2]
received = 0


async def session(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    global received

    def reply(line: str) -> None:
        writer.write(line.encode() + b"\r\n")

    recipients: list[str] = []
    reply("220 sink ESMTP")
    while line := await reader.readline():
        command = line.decode("utf-8", "replace").strip()
        verb = command.split(" ", 1)[0].upper()
        if verb in ("EHLO", "HELO"):
            reply("250 sink")
        elif verb == "MAIL":
            recipients = []
            reply("250 OK")
        elif verb == "RCPT":
            recipients.append(command.split(":", 1)[1].strip().strip("<>"))
            reply("250 OK")
        elif verb == "DATA":
            reply("354 end with <CRLF>.<CRLF>")
            await writer.drain()
            data = bytearray()
            while (chunk := await reader.readline()) not in (b".\r\n", b""):
                data += chunk[1:] if chunk.startswith(b"..") else chunk
            received += 1
            # Written whole under a temporary name, then renamed: a reader never sees half.
            path = os.path.join(FOLDER, f"{received:05d}.eml")
            with open(path + ".part", "wb") as out:
                out.write((" ".join(recipients) + "\n").encode() + bytes(data))
            os.rename(path + ".part", path)
            reply("250 OK queued")
        elif verb in ("RSET", "NOOP"):
            reply("250 OK")
        elif verb == "QUIT":
            reply("221 bye")
            await writer.drain()
            break
        else:
            reply("502 not implemented")
        await writer.drain()
    writer.close()


async def main() -> None:
    server = await asyncio.start_server(session, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()


asyncio.run(main())
