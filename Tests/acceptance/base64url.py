"""Base64url without padding (RFC 7515 §2), as JOSE and WebAuthn write binary values."""
import base64


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
