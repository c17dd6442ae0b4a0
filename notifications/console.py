"""Development email backend: each email as its reader sees it, not as MIME with a base64 picture."""

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message):
        mime = message.message()  # Django's own checks: a header with a line break raises BadHeaderError
        lines = [f"{name}: {mime[name]}" for name in ("From", "To", "Subject", "List-Unsubscribe") if mime[name]]
        html_parts = sum(1 for _, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html")
        lines += ["", message.body.rstrip(), ""]
        lines.append(f"[also sent: {html_parts} HTML version, {len(message.attachments)} inline image or attachment]")
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")
