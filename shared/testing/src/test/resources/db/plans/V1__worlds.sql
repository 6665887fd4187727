CREATE TABLE worlds (id int PRIMARY KEY, number int NOT NULL);
