-- Fortune 3 as TechEmpower's own data has it ("places", not "points"): the fortunes page is checked against
-- TechEmpower's expected page word for word, and V1 had it wrong.
UPDATE fortune SET message = 'After enough decimal places, nobody gives a damn.' WHERE id = 3;
