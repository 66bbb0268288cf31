# Two issue numbers.
# expect: shape:Publication-issue
# severity: Violation
INSERT DATA { pub:cherin-2002 bibo:issue "3" }
