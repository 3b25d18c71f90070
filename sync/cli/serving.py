"""``netweave serve``: the read-only calendar feed of the last synced plan, in the foreground."""

from __future__ import annotations

import sys

import click

from sync.cli.common import Ctx, cli, err


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option(
    "--new-token", is_flag=True, help="Make a new secret URL (the old one stops working)."
)
@click.pass_obj
def serve(ctx: Ctx, host: str, port: int, new_token: bool) -> None:
    """A read-only calendar feed (webcal) of the last synced plan, for calendar apps."""
    from sync.serve import current_feed, feed_urls, is_loopback, is_wildcard, make_server

    config = ctx.config()
    try:
        server = make_server(config, host, port, renew=new_token)
    except OSError as e:
        raise click.ClickException(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    webcal, _http_url = feed_urls(server)
    if not is_loopback(host):
        where = "every network this machine is on" if is_wildcard(host) else host
        err(
            f"warning: listening on {where}: anyone who can reach it and knows the URL can read "
            "your plan (plain HTTP, not encrypted); prefer 127.0.0.1 behind an HTTPS proxy"
        )
    click.echo(webcal)
    if not ctx.quiet:
        feed = current_feed(config)
        err(
            f"serving {feed.events} events; subscribe to the URL above in your calendar app "
            "(apps without webcal:// take the same URL with http://)."
        )
        err("The URL is secret: anyone with it can read your plan. Ctrl-C stops.")
        if not config.state.resolved().exists():
            err("no sync has run yet: the feed is empty until `netweave sync`")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:  # the way to stop it: not an error
        if not ctx.quiet:
            err("stopped")
    finally:
        server.server_close()
