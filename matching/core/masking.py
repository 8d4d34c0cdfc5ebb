"""What a screen shows of an ID number or a phone number when the reader's task
does not need the whole of it (docs/cases.md, "Personal data")."""


def mask_id_number(number):
    """The first four characters (the city) and the last four: 2201**********1234.
    The birth date never shows."""
    number = number or ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(phone):
    """The first three and the last four digits: 138****0001."""
    phone = phone or ""
    if len(phone) < 8:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def phone_prefix_only(phone):
    """The carrier prefix alone (139********), for logs: the last four digits are
    half of an applicant's status-lookup credentials (receipt number + last four)."""
    phone = phone or ""
    return phone[:3] + "*" * 8 if len(phone) >= 7 else "****"


def mask_name(name):
    """The surname's first character and one star per other character: 王** .
    Enough for a department to match its own papers, not to find the person."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
